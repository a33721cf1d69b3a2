using System.Security.Cryptography;
using Beacon.Ssh.Keys;
using Beacon.Trust.OpenPgp.Keys;
using Beacon.Trust.OpenPgp.Packets;
using Beacon.Trust.OpenPgp.Signatures;

namespace Beacon.Trust.OpenPgp.Signing;

/// <summary>
/// Makes v4 Ed25519 signature packet bodies with SHA-512: legacy EdDSA (22), the way gpg 2.2 signs with an
/// Ed25519 key, or RFC 9580 Ed25519 (27).
/// </summary>
internal static class SignatureBuilder
{
    /// <summary>
    /// The signature body: the hashed portion (version 4, type, algorithm 22, SHA-512, hashed subpackets),
    /// the unhashed subpackets, the digest's left 16 bits, and r and s as MPIs (22) or the raw 64 octets (27).
    /// </summary>
    public static byte[] Build(byte type, Ed25519PrivateKey key, IReadOnlyList<Subpacket> hashed, IReadOnlyList<Subpacket> unhashed,
        Action<IncrementalHash> appendSignedData, byte algorithm = PublicKeyAlgorithm.EdDsaLegacy)
    {
        if (algorithm is not (PublicKeyAlgorithm.EdDsaLegacy or PublicKeyAlgorithm.Ed25519))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm));
        }
        var hashedPortion = HashedPortion(type, algorithm, hashed);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        appendSignedData(hash);
        SignaturePacket.AppendTrailer(hash, hashedPortion);
        var digest = hash.GetHashAndReset();
        // OpenPGP's EdDSA signs the digest, not the data (RFC 9580 section 5.2.3.3).
        var value = key.Sign(digest, SshKeyTypes.Ed25519).Blob.Span;

        using var body = new MemoryStream();
        body.Write(hashedPortion);
        var unhashedArea = Area(unhashed);
        body.WriteByte((byte)(unhashedArea.Length >> 8));
        body.WriteByte((byte)unhashedArea.Length);
        body.Write(unhashedArea);
        body.Write(digest.AsSpan(0, 2));
        if (algorithm == PublicKeyAlgorithm.Ed25519)
        {
            body.Write(value);
        }
        else
        {
            Mpi.Write(body, value[..32]);
            Mpi.Write(body, value[32..]);
        }
        return body.ToArray();
    }

    /// <summary>Creation time (2), the subpacket every signature must carry in its hashed area.</summary>
    public static Subpacket CreationTime(DateTimeOffset time) => new(Subpacket.CreationTime, false, UInt32(time.ToUnixTimeSeconds()));

    /// <summary>Issuer fingerprint (33): version 4 and the 20-octet fingerprint.</summary>
    public static Subpacket IssuerFingerprint(PublicKeyPacket key) => new(Subpacket.IssuerFingerprint, false, [4, .. Convert.FromHexString(key.Fingerprint)]);

    /// <summary>Issuer key ID (16), for verifiers older than subpacket 33.</summary>
    public static Subpacket Issuer(PublicKeyPacket key) => new(Subpacket.Issuer, false, Convert.FromHexString(key.KeyId));

    private static byte[] HashedPortion(byte type, byte algorithm, IReadOnlyList<Subpacket> hashed)
    {
        var area = Area(hashed);
        using var portion = new MemoryStream();
        portion.Write([4, type, algorithm, OpenPgpHashAlgorithm.Sha512, (byte)(area.Length >> 8), (byte)area.Length]);
        portion.Write(area);
        return portion.ToArray();
    }

    private static byte[] Area(IReadOnlyList<Subpacket> subpackets)
    {
        using var area = new MemoryStream();
        foreach (var subpacket in subpackets)
        {
            subpacket.WriteTo(area);
        }
        return area.ToArray();
    }

    private static byte[] UInt32(long value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
