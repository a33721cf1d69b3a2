using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Keys;

/// <summary>
/// A private key that signs in SSH's formats. Private material never appears in ToString, and
/// Dispose() releases it.
/// </summary>
public abstract class SshPrivateKey : IDisposable
{
    public abstract SshPublicKey PublicKey { get; }

    /// <summary>The signature algorithm used when none is asked for: rsa-sha2-512 for RSA, the key type otherwise.</summary>
    public virtual string DefaultSignatureAlgorithm => PublicKey.KeyType;

    /// <summary>Signs with the default algorithm.</summary>
    public SshSignature Sign(ReadOnlySpan<byte> data) => Sign(data, DefaultSignatureAlgorithm);

    /// <summary>Signs with the named algorithm.</summary>
    /// <exception cref="ArgumentException">The key cannot make that algorithm (for RSA, SHA-1 ssh-rsa is always refused).</exception>
    public abstract SshSignature Sign(ReadOnlySpan<byte> data, string algorithm);

    /// <summary>
    /// Writes the private fields that follow the type name, as openssh-key-v1 (PROTOCOL.key) and the
    /// agent's add-identity message (RFC 9987) both lay them out.
    /// </summary>
    internal abstract void WritePrivateFields(SshWriter writer);

    /// <summary>
    /// Writes the private fields that follow a certificate when a key is added to an agent with its
    /// certificate (PROTOCOL.certkeys, RFC 9987): the fields the certificate does not already carry.
    /// </summary>
    internal abstract void WritePrivateFieldsAfterCertificate(SshWriter writer);

    /// <summary>Reads the private fields of a key of the given type.</summary>
    /// <exception cref="SshFormatException">Malformed, inconsistent, or an unsupported type.</exception>
    internal static SshPrivateKey ReadPrivateKeyFields(ref SshReader reader, string type) => type switch
    {
        SshKeyTypes.Ed25519 => Ed25519PrivateKey.ReadPrivateFields(ref reader),
        SshKeyTypes.EcdsaP256 or SshKeyTypes.EcdsaP384 or SshKeyTypes.EcdsaP521 => EcdsaPrivateKey.ReadPrivateFields(ref reader, type),
        SshKeyTypes.Rsa => RsaPrivateKey.ReadPrivateFields(ref reader),
        _ => throw new SshFormatException($"private key type: unsupported \"{SshPublicKeyParser.Quote(type)}\""),
    };

    /// <summary>Generates a new key: ed25519, ecdsa (256, 384 or 521 bits) or rsa (2048 to 16384 bits).</summary>
    public static SshPrivateKey Generate(SshKeyAlgorithm algorithm, int bits = 0) => algorithm switch
    {
        SshKeyAlgorithm.Ed25519 => Ed25519PrivateKey.Generate(),
        SshKeyAlgorithm.Ecdsa => EcdsaPrivateKey.Generate(EcdsaCurve.ForBits(bits == 0 ? 256 : bits)
            ?? throw new ArgumentException($"ECDSA keys are 256, 384 or 521 bits, not {bits}", nameof(bits))),
        SshKeyAlgorithm.Rsa => RsaPrivateKey.Generate(bits == 0 ? 3072 : bits),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public override string ToString() => $"{PublicKey.KeyType} private key {PublicKey.Fingerprint}";

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }
}

/// <summary>The key families we generate.</summary>
public enum SshKeyAlgorithm
{
    Ed25519,
    Ecdsa,
    Rsa,
}
