using System.Security.Cryptography;
using Beacon.Ssh.Crypto;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Keys;

/// <summary>An Ed25519 private key held by OpenSSL; the 32-byte seed is kept for serialisation.</summary>
public sealed class Ed25519PrivateKey : SshPrivateKey
{
    private readonly byte[] _seed;
    private readonly SafeEvpPkeyHandle _handle;
    private readonly Ed25519PublicKey _publicKey;

    private Ed25519PrivateKey(ReadOnlySpan<byte> seed)
    {
        _seed = seed.ToArray();
        _handle = OpenSslEd25519.FromSeed(_seed);
        _publicKey = new Ed25519PublicKey(OpenSslEd25519.GetPublicKey(_handle));
    }

    public static Ed25519PrivateKey Generate()
    {
        Span<byte> seed = stackalloc byte[OpenSslEd25519.SeedSize];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return new Ed25519PrivateKey(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public static Ed25519PrivateKey FromSeed(ReadOnlySpan<byte> seed) => new(seed);

    public override SshPublicKey PublicKey => _publicKey;

    public override SshSignature Sign(ReadOnlySpan<byte> data, string algorithm)
    {
        if (algorithm != SshKeyTypes.Ed25519)
        {
            throw new ArgumentException($"an Ed25519 key cannot sign {algorithm}", nameof(algorithm));
        }
        var signature = new byte[OpenSslEd25519.SignatureSize];
        OpenSslEd25519.Sign(_handle, data, signature);
        return new SshSignature(SshKeyTypes.Ed25519, signature);
    }

    // PROTOCOL.key / RFC 9987: string public key (32), string seed || public key (64).
    internal override void WritePrivateFields(SshWriter writer)
    {
        Span<byte> secret = stackalloc byte[64];
        _seed.CopyTo(secret);
        _publicKey.Key.CopyTo(secret[32..]);
        writer.WriteString(_publicKey.Key).WriteString(secret);
        CryptographicOperations.ZeroMemory(secret);
    }

    // The certificate carries the public key, but the agent format repeats both fields as for a plain key.
    internal override void WritePrivateFieldsAfterCertificate(SshWriter writer) => WritePrivateFields(writer);

    internal static Ed25519PrivateKey ReadPrivateFields(ref SshReader reader)
    {
        var publicKey = reader.ReadStringSpan("ssh-ed25519 public key");
        var secret = reader.ReadStringSpan("ssh-ed25519 private key");
        if (publicKey.Length != 32 || secret.Length != 64)
        {
            throw new SshFormatException($"ssh-ed25519 private key: lengths {publicKey.Length}/{secret.Length}, expected 32/64");
        }
        var key = new Ed25519PrivateKey(secret[..32]);
        // The stored public halves must be the ones the seed derives, or the file is corrupt or forged.
        if (!key._publicKey.Key.SequenceEqual(publicKey) || !secret[32..].SequenceEqual(publicKey))
        {
            key.Dispose();
            throw new SshFormatException("ssh-ed25519 private key: the public key does not match the seed");
        }
        return key;
    }

    protected override void Dispose(bool disposing)
    {
        CryptographicOperations.ZeroMemory(_seed);
        if (disposing)
        {
            _handle.Dispose();
        }
    }
}
