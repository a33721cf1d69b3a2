using System.Security.Cryptography;
using Beacon.Ssh.Keys;
using Beacon.Trust.OpenPgp.Encoding;
using Beacon.Trust.OpenPgp.Keys;
using Beacon.Trust.OpenPgp.Packets;
using Beacon.Trust.OpenPgp.Signatures;
using Beacon.Trust.OpenPgp.Signing;

namespace Beacon.Trust.OpenPgp;

/// <summary>
/// The server-held bundle-signing key: an Ed25519 OpenPGP key that makes detached signatures `gpg --verify` accepts.
/// A v4 legacy EdDSA (22) key, as gpg 2.2 makes, with a positive self-certification of its user ID
/// (key flags certify and sign, SHA-512). Signatures are binary-document (0x00), SHA-512.
/// </summary>
public sealed class OpenPgpSigningKey : IDisposable
{
    private readonly byte[] _seed;
    private readonly Ed25519PrivateKey _key;
    private readonly PublicKeyPacket _publicKeyPacket;
    private readonly string _userId;
    private readonly byte[] _transferablePublicKey;
    private bool _disposed;

    private OpenPgpSigningKey(byte[] seed, uint created, string userId)
    {
        _seed = seed;
        _userId = userId;
        _key = Ed25519PrivateKey.FromSeed(seed);
        var publicKey = ((Ed25519PublicKey)_key.PublicKey).Key;
        _publicKeyPacket = PublicKeyPacket.CreateEdDsaLegacy(publicKey, DateTimeOffset.FromUnixTimeSeconds(created));
        _transferablePublicKey = BuildTransferablePublicKey();
        PublicKey = OpenPgpPublicKey.Parse(_transferablePublicKey);
    }

    /// <summary>The public half, as hosts pin it.</summary>
    public OpenPgpPublicKey PublicKey { get; }

    /// <summary>A new Ed25519 key with a self-signed user ID (so `gpg --import` takes it).</summary>
    /// <param name="userId">E.g. "BeaconSSH bundle signing &lt;beacon@example.org&gt;"; 1 to 1024 UTF-8 bytes, no line breaks.</param>
    /// <param name="created">The key's creation time (whole seconds are kept); signatures cannot predate it.</param>
    /// <exception cref="ArgumentException">A bad user ID or a creation time outside 1970..2106.</exception>
    public static OpenPgpSigningKey Generate(string userId, DateTimeOffset created)
    {
        ValidateUserId(userId);
        var seconds = ToUInt32Seconds(created, nameof(created));
        var seed = RandomNumberGenerator.GetBytes(PrivateKeyForm.SeedSize);
        return new OpenPgpSigningKey(seed, seconds, userId);
    }

    /// <summary>Reads the form <see cref="Export"/> writes.</summary>
    /// <exception cref="OpenPgpFormatException">Malformed.</exception>
    public static OpenPgpSigningKey Import(ReadOnlySpan<byte> exported)
    {
        var (created, seed, userId) = PrivateKeyForm.Read(exported);
        if (userId.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            CryptographicOperations.ZeroMemory(seed);
            throw new OpenPgpFormatException("Beacon OpenPGP private key: the user ID has a line break");
        }
        return new OpenPgpSigningKey(seed, created, userId);
    }

    /// <summary>The private key in a form only <see cref="Import"/> reads; the caller encrypts it at rest.</summary>
    public byte[] Export()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return PrivateKeyForm.Write((uint)_publicKeyPacket.Created.ToUnixTimeSeconds(), _seed, _userId);
    }

    /// <summary>The armored transferable public key (public key packet, user ID, self-signature).</summary>
    public string ExportPublicArmored() => OpenPgpArmor.Encode(_transferablePublicKey, OpenPgpArmor.PublicKeyBlock);

    /// <summary>An armored binary-mode detached signature ("-----BEGIN PGP SIGNATURE-----") over <paramref name="document"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="signedAt"/> is before the key's creation or after 2106.</exception>
    public string SignDetached(ReadOnlySpan<byte> document, DateTimeOffset signedAt)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var seconds = ToUInt32Seconds(signedAt, nameof(signedAt));
        if (seconds < _publicKeyPacket.Created.ToUnixTimeSeconds())
        {
            throw new ArgumentException("a signature cannot predate its key", nameof(signedAt));
        }
        var documentCopy = document.ToArray();
        var body = SignatureBuilder.Build(SignatureType.BinaryDocument, _key,
            [SignatureBuilder.IssuerFingerprint(_publicKeyPacket), SignatureBuilder.CreationTime(DateTimeOffset.FromUnixTimeSeconds(seconds))],
            [SignatureBuilder.Issuer(_publicKeyPacket)],
            hash => hash.AppendData(documentCopy));
        using var packet = new MemoryStream();
        PacketWriter.Write(packet, PacketTag.Signature, body);
        return OpenPgpArmor.Encode(packet.ToArray(), OpenPgpArmor.Signature);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        CryptographicOperations.ZeroMemory(_seed);
        _key.Dispose();
    }

    /// <summary>Public key, user ID, positive self-certification (0x13) made at the key's creation, so the result is deterministic.</summary>
    private byte[] BuildTransferablePublicKey()
    {
        var userId = System.Text.Encoding.UTF8.GetBytes(_userId);
        Subpacket[] hashed =
        [
            SignatureBuilder.IssuerFingerprint(_publicKeyPacket),
            SignatureBuilder.CreationTime(_publicKeyPacket.Created),
            new(Subpacket.KeyFlags, false, [Subpacket.KeyFlagCertify | Subpacket.KeyFlagSign]),
            // Preferences gpg itself writes: AES-256, AES-192, AES-128; SHA-512, SHA-384, SHA-256; ZLIB, BZip2, ZIP; MDC feature; no-modify.
            new(11, false, [9, 8, 7]),
            new(21, false, [OpenPgpHashAlgorithm.Sha512, OpenPgpHashAlgorithm.Sha384, OpenPgpHashAlgorithm.Sha256]),
            new(22, false, [2, 3, 1]),
            new(30, false, [0x01]),
            new(23, false, [0x80]),
        ];
        var certification = SignatureBuilder.Build(SignatureType.PositiveCertification, _key, hashed, [SignatureBuilder.Issuer(_publicKeyPacket)],
            hash => KeySignatureCheck.UserIdData(hash, _publicKeyPacket, userId));
        using var output = new MemoryStream();
        PacketWriter.Write(output, PacketTag.PublicKey, _publicKeyPacket.Body);
        PacketWriter.Write(output, PacketTag.UserId, userId);
        PacketWriter.Write(output, PacketTag.Signature, certification);
        return output.ToArray();
    }

    private static void ValidateUserId(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (System.Text.Encoding.UTF8.GetByteCount(userId) > PrivateKeyForm.MaxUserIdBytes || userId.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"a user ID is one line of at most {PrivateKeyForm.MaxUserIdBytes} UTF-8 bytes", nameof(userId));
        }
    }

    private static uint ToUInt32Seconds(DateTimeOffset time, string parameter)
    {
        var seconds = time.ToUnixTimeSeconds();
        if (seconds is < 0 or > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(parameter, "OpenPGP times are seconds from 1970 to 2106");
        }
        return (uint)seconds;
    }
}
