using System.Buffers.Binary;
using System.Security.Cryptography;
using Beacon.Trust.OpenPgp.Keys;
using Beacon.Trust.OpenPgp.Packets;

namespace Beacon.Trust.OpenPgp.Signatures;

/// <summary>
/// A v4 signature packet (RFC 9580 section 5.2.3): version, type, public-key and hash algorithms, hashed and
/// unhashed subpacket areas, the left 16 bits of the digest, then the algorithm's signature value.
/// Signatures of other versions or algorithms parse to <see cref="UnsupportedReason"/>, so that a key's
/// third-party certifications never stop the key from being read.
/// </summary>
internal sealed class SignaturePacket
{
    private SignaturePacket()
    {
    }

    public byte Version { get; private init; }

    public byte Type { get; private init; }

    public byte PublicKeyAlgorithm { get; private init; }

    public byte HashAlgorithm { get; private init; }

    /// <summary>The octets from the version through the hashed subpacket area: what the trailer hashes.</summary>
    public byte[] HashedPortion { get; private init; } = [];

    public IReadOnlyList<Subpacket> Hashed { get; private init; } = [];

    public IReadOnlyList<Subpacket> Unhashed { get; private init; } = [];

    public ushort HashPrefix { get; private init; }

    /// <summary>The signature value: the RSA MPI, or the 64-byte Ed25519 r || s.</summary>
    public byte[] Value { get; private init; } = [];

    public string? UnsupportedReason { get; private init; }

    /// <summary>The signature creation time (hashed subpacket 2), required by the spec.</summary>
    public DateTimeOffset? Created => Find(Hashed, Subpacket.CreationTime, 4) is { } data
        ? DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(data))
        : null;

    /// <summary>Seconds after creation when the signature expires (hashed subpacket 3); null or zero for never.</summary>
    public uint? ExpirationSeconds => Find(Hashed, Subpacket.ExpirationTime, 4) is { } data ? BinaryPrimitives.ReadUInt32BigEndian(data) : null;

    /// <summary>Seconds after the key's creation when the key expires (hashed subpacket 9 of a self-signature); null or zero for never.</summary>
    public uint? KeyExpirationSeconds => Find(Hashed, Subpacket.KeyExpirationTime, 4) is { } data ? BinaryPrimitives.ReadUInt32BigEndian(data) : null;

    /// <summary>The first key-flags octet (hashed subpacket 27), or null when absent.</summary>
    public byte? KeyFlags => Hashed.FirstOrDefault(s => s.Type == Subpacket.KeyFlags && s.Data.Length >= 1)?.Data[0];

    /// <summary>The issuer's v4 fingerprint (subpacket 33, either area), upper-case hex, or null.</summary>
    public string? IssuerFingerprint =>
        Hashed.Concat(Unhashed).FirstOrDefault(s => s.Type == Subpacket.IssuerFingerprint && s.Data.Length == 21 && s.Data[0] == 4) is { } issuer
            ? Convert.ToHexString(issuer.Data, 1, 20)
            : null;

    /// <summary>The issuer's key ID (subpacket 16, or the low 64 bits of subpacket 33), 16 upper-case hex digits, or null.</summary>
    public string? IssuerKeyId =>
        IssuerFingerprint?[^16..]
        ?? (Hashed.Concat(Unhashed).FirstOrDefault(s => s.Type == Subpacket.Issuer && s.Data.Length == 8) is { } issuer
            ? Convert.ToHexString(issuer.Data)
            : null);

    /// <summary>A critical hashed subpacket this code does not understand, or null (section 5.2.3.7: such a signature is invalid).</summary>
    public Subpacket? UnknownCritical =>
        Hashed.FirstOrDefault(s => s.Critical && (!s.IsUnderstood || s.Type == Subpacket.NotationData));

    /// <summary>Embedded signatures (subpacket 32), e.g. a signing subkey's primary-key binding. Malformed ones are skipped.</summary>
    public IEnumerable<SignaturePacket> EmbeddedSignatures()
    {
        foreach (var subpacket in Hashed.Concat(Unhashed).Where(s => s.Type == Subpacket.EmbeddedSignature))
        {
            SignaturePacket? embedded = null;
            try
            {
                embedded = Parse(subpacket.Data, "embedded signature");
            }
            catch (OpenPgpFormatException)
            {
            }
            if (embedded is not null)
            {
                yield return embedded;
            }
        }
    }

    /// <exception cref="OpenPgpFormatException">A v4 signature whose fields are malformed.</exception>
    public static SignaturePacket Parse(ReadOnlyMemory<byte> body, string context)
    {
        var reader = new PgpReader(body.Span, context);
        var version = reader.ReadByte("version");
        if (version != 4)
        {
            return new SignaturePacket { Version = version, UnsupportedReason = $"version {version} signatures are not supported (only v4)" };
        }
        var type = reader.ReadByte("signature type");
        var publicKeyAlgorithm = reader.ReadByte("public-key algorithm");
        var hashAlgorithm = reader.ReadByte("hash algorithm");
        var hashedArea = reader.ReadBytes(reader.ReadUInt16("hashed subpacket length"), "hashed subpackets");
        var hashedPortion = body.Span[..reader.Position].ToArray();
        var unhashedArea = reader.ReadBytes(reader.ReadUInt16("unhashed subpacket length"), "unhashed subpackets");
        var prefix = reader.ReadUInt16("hash prefix");
        var hashed = Subpacket.ParseArea(hashedArea, $"{context} hashed area");
        var unhashed = Subpacket.ParseArea(unhashedArea, $"{context} unhashed area");

        byte[] value = [];
        string? unsupported = null;
        switch (publicKeyAlgorithm)
        {
            case Keys.PublicKeyAlgorithm.Rsa or Keys.PublicKeyAlgorithm.RsaSignOnly:
                value = reader.ReadMpi("RSA signature").ToArray();
                reader.EnsureEnd();
                break;
            case Keys.PublicKeyAlgorithm.EdDsaLegacy:
                var r = Mpi.ToFixedWidth(reader.ReadMpi("EdDSA r"), 32, $"{context}: EdDSA r");
                var s = Mpi.ToFixedWidth(reader.ReadMpi("EdDSA s"), 32, $"{context}: EdDSA s");
                reader.EnsureEnd();
                value = [.. r, .. s];
                break;
            case Keys.PublicKeyAlgorithm.Ed25519:
                value = reader.ReadBytes(64, "Ed25519 signature").ToArray();
                reader.EnsureEnd();
                break;
            default:
                unsupported = $"{Keys.PublicKeyAlgorithm.Name(publicKeyAlgorithm)} signatures are not supported (RSA, EdDSA Ed25519 and Ed25519 are)";
                break;
        }

        return new SignaturePacket
        {
            Version = version,
            Type = type,
            PublicKeyAlgorithm = publicKeyAlgorithm,
            HashAlgorithm = hashAlgorithm,
            HashedPortion = hashedPortion,
            Hashed = hashed,
            Unhashed = unhashed,
            HashPrefix = prefix,
            Value = value,
            UnsupportedReason = unsupported,
        };
    }

    /// <summary>
    /// Finishes <paramref name="hash"/>, which already holds the signed data, with the v4 trailer (section
    /// 5.2.4: the hashed portion, 0x04 0xFF, its four-octet length) and checks the prefix and the signature.
    /// Returns null when valid, else why not.
    /// </summary>
    public string? CheckAfterData(IncrementalHash hash, PublicKeyPacket signer, HashAlgorithmName name)
    {
        AppendTrailer(hash, HashedPortion);
        var digest = hash.GetHashAndReset();
        // The prefix check is a quick reject only; the signature check below is what decides.
        if (BinaryPrimitives.ReadUInt16BigEndian(digest) != HashPrefix)
        {
            return "the digest does not match the signature's hash prefix";
        }
        return signer.Verify(digest, name, Value) ? null : "the signature value does not verify";
    }

    public static void AppendTrailer(IncrementalHash hash, byte[] hashedPortion)
    {
        hash.AppendData(hashedPortion);
        var length = hashedPortion.Length;
        hash.AppendData([0x04, 0xFF, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length]);
    }

    private static byte[]? Find(IReadOnlyList<Subpacket> area, byte type, int length) =>
        area.FirstOrDefault(s => s.Type == type && s.Data.Length == length)?.Data;
}
