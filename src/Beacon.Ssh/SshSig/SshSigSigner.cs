using Beacon.Ssh.Keys;

namespace Beacon.Ssh.SshSig;

/// <summary>Makes PROTOCOL.sshsig detached signatures, as `ssh-keygen -Y sign -n NAMESPACE` does.</summary>
public static class SshSigSigner
{
    /// <summary>Signs a message under a namespace. RSA keys sign with rsa-sha2-512, never SHA-1.</summary>
    /// <exception cref="ArgumentException">An empty or over-long namespace, or a hash other than sha256/sha512.</exception>
    public static SshSignatureFile Sign(SshPrivateKey key, ReadOnlySpan<byte> message, string @namespace, string hashAlgorithm = SshSigFormat.Sha512) =>
        SignHash(key, SshSigFormat.Hash(message, hashAlgorithm), @namespace, hashAlgorithm);

    /// <summary>Signs a message read from a stream (hashed as it is read).</summary>
    /// <exception cref="ArgumentException">An empty or over-long namespace, or a hash other than sha256/sha512.</exception>
    public static SshSignatureFile Sign(SshPrivateKey key, Stream message, string @namespace, string hashAlgorithm = SshSigFormat.Sha512) =>
        SignHash(key, SshSigFormat.Hash(message, hashAlgorithm), @namespace, hashAlgorithm);

    private static SshSignatureFile SignHash(SshPrivateKey key, byte[] messageHash, string @namespace, string hashAlgorithm)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        if (@namespace.Length > SshSigFormat.MaxNamespaceLength || @namespace.Contains('\0'))
        {
            throw new ArgumentException($"a namespace is 1 to {SshSigFormat.MaxNamespaceLength} characters without NUL", nameof(@namespace));
        }
        var signed = SshSigFormat.BytesToSignOfHash(messageHash, @namespace, [], hashAlgorithm);
        return new SshSignatureFile(key.PublicKey, @namespace, ReadOnlyMemory<byte>.Empty, hashAlgorithm, key.Sign(signed));
    }
}
