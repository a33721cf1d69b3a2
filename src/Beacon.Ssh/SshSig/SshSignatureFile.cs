using Beacon.Ssh.Keys;

namespace Beacon.Ssh.SshSig;

/// <summary>
/// A detached SSH signature over a message (OpenSSH's PROTOCOL.sshsig), the thing `ssh-keygen -Y sign`
/// writes and `ssh-keygen -Y verify` checks. Immutable. Parse with <see cref="SshSigParser"/>, make with
/// <see cref="SshSigSigner"/>, check with <see cref="SshSigVerifier"/>.
/// </summary>
/// <param name="PublicKey">The key that made the signature (a plain key; never trusted by itself).</param>
/// <param name="Namespace">The signature's domain, e.g. "file" or "beacon-krl@beaconssh".</param>
/// <param name="Reserved">Reserved bytes; empty when we write, ignored when we verify, as the spec says.</param>
/// <param name="HashAlgorithm">"sha256" or "sha512": the hash of the message that was signed.</param>
/// <param name="Signature">The key's signature over <see cref="SshSigFormat.BytesToSign"/>.</param>
public sealed record SshSignatureFile(
    SshPublicKey PublicKey,
    string Namespace,
    ReadOnlyMemory<byte> Reserved,
    string HashAlgorithm,
    SshSignature Signature)
{
    /// <summary>The binary form (the content of the armor).</summary>
    public byte[] ToBlob() => SshSigFormat.Encode(this);

    /// <summary>The armored text as ssh-keygen writes it, "-----BEGIN SSH SIGNATURE-----" to "-----END SSH SIGNATURE-----\n".</summary>
    public string ToArmored() => SshSigFormat.Armor(ToBlob());

    public bool Equals(SshSignatureFile? other) =>
        other is not null && PublicKey.Equals(other.PublicKey) && Namespace == other.Namespace
        && Reserved.Span.SequenceEqual(other.Reserved.Span) && HashAlgorithm == other.HashAlgorithm && Signature.Equals(other.Signature);

    public override int GetHashCode() => HashCode.Combine(PublicKey, Namespace, HashAlgorithm, Signature);
}
