using Beacon.Ssh.Keys;

namespace Beacon.Ssh.SshSig;

/// <summary>Checks PROTOCOL.sshsig detached signatures, as `ssh-keygen -Y verify` does with one allowed signer.</summary>
public static class SshSigVerifier
{
    /// <summary>
    /// True when the signature is by <paramref name="signer"/>, under <paramref name="namespace"/>, over exactly this message.
    /// </summary>
    public static bool Verify(SshSignatureFile signature, ReadOnlySpan<byte> message, string @namespace, SshPublicKey signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        // The key inside the signature is the signer's claim; only the pinned key may vouch for the message.
        return signature.PublicKey.Equals(signer) && VerifyNoValidate(signature, message, @namespace);
    }

    /// <summary>
    /// True when the signature is valid under its own embedded key and the namespace, over exactly this
    /// message, whoever that key is (`ssh-keygen -Y check-novalidate`). Never use it alone to trust a message.
    /// </summary>
    public static bool VerifyNoValidate(SshSignatureFile signature, ReadOnlySpan<byte> message, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(@namespace);
        // A signature made for another purpose (a git commit, a file) must not pass as one for ours.
        if (signature.Namespace != @namespace)
        {
            return false;
        }
        // SHA-1 RSA signatures are refused, as OpenSSH refuses them for SSHSIG.
        if (signature.Signature.Algorithm == SshKeyTypes.Rsa)
        {
            return false;
        }
        var signed = SshSigFormat.BytesToSign(message, signature.Namespace, signature.Reserved.Span, signature.HashAlgorithm);
        return signature.PublicKey.Verify(signed, signature.Signature);
    }
}
