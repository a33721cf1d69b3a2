using System.Security.Cryptography;
using Beacon.Ssh.Keys;
using Beacon.Trust.OpenPgp.Packets;

namespace Beacon.Trust.OpenPgp.Keys;

/// <summary>
/// A v4 public key or subkey packet body (RFC 9580 section 5.5.2): version 4, creation time, algorithm,
/// then the algorithm's fields. Only signing algorithms this code can verify carry key material
/// (<see cref="Rsa"/> or <see cref="Ed25519"/>); other algorithms parse to <see cref="UnsupportedReason"/>
/// so a key's encryption subkeys can be skipped.
/// </summary>
internal sealed class PublicKeyPacket
{
    private PublicKeyPacket(byte[] body, DateTimeOffset created, byte algorithm)
    {
        Body = body;
        Created = created;
        Algorithm = algorithm;
        Fingerprint = Convert.ToHexString(FingerprintBytes(body));
        KeyId = Fingerprint[^16..];
    }

    public byte[] Body { get; }

    public DateTimeOffset Created { get; }

    public byte Algorithm { get; }

    /// <summary>The v4 fingerprint (section 5.5.4.2): SHA-1 over 0x99, a two-octet length and the body; upper-case hex.</summary>
    public string Fingerprint { get; }

    /// <summary>The low 64 bits of the fingerprint, 16 upper-case hex digits.</summary>
    public string KeyId { get; }

    public RSAParameters? Rsa { get; private init; }

    public Ed25519PublicKey? Ed25519 { get; private init; }

    /// <summary>Why this key cannot verify signatures (unsupported version or algorithm), or null.</summary>
    public string? UnsupportedReason { get; private init; }

    /// <exception cref="OpenPgpFormatException">A v4 key of a supported algorithm whose fields are malformed.</exception>
    public static PublicKeyPacket Parse(ReadOnlyMemory<byte> body, string context)
    {
        var reader = new PgpReader(body.Span, context);
        var version = reader.ReadByte("version");
        if (version != 4)
        {
            return new PublicKeyPacket(body.ToArray(), DateTimeOffset.UnixEpoch, 0)
            {
                UnsupportedReason = $"{context}: version {version} keys are not supported (only v4)",
            };
        }
        var created = DateTimeOffset.FromUnixTimeSeconds(reader.ReadUInt32("creation time"));
        var algorithm = reader.ReadByte("algorithm");
        var bytes = body.ToArray();
        switch (algorithm)
        {
            case PublicKeyAlgorithm.Rsa or PublicKeyAlgorithm.RsaSignOnly:
            {
                var modulus = reader.ReadMpi("RSA modulus n").ToArray();
                var exponent = reader.ReadMpi("RSA exponent e").ToArray();
                reader.EnsureEnd();
                var bits = modulus.Length == 0 ? 0 : (modulus.Length - 1) * 8 + 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[0]);
                if (bits < PublicKeyAlgorithm.MinRsaBits)
                {
                    return new PublicKeyPacket(bytes, created, algorithm)
                    {
                        UnsupportedReason = $"{context}: RSA key of {bits} bits is refused (at least {PublicKeyAlgorithm.MinRsaBits})",
                    };
                }
                return new PublicKeyPacket(bytes, created, algorithm) { Rsa = new RSAParameters { Modulus = modulus, Exponent = exponent } };
            }
            case PublicKeyAlgorithm.EdDsaLegacy:
            {
                var oid = reader.ReadBytes(reader.ReadByte("curve OID length"), "curve OID");
                if (!oid.SequenceEqual(PublicKeyAlgorithm.Ed25519LegacyOid))
                {
                    return new PublicKeyPacket(bytes, created, algorithm)
                    {
                        UnsupportedReason = $"{context}: EdDSA curve OID {Convert.ToHexString(oid)} is not supported (only Ed25519)",
                    };
                }
                var point = reader.ReadMpi("EdDSA point");
                reader.EnsureEnd();
                // A native Ed25519 point: the 0x40 prefix octet and 32 octets (RFC 9580 section 11.2.3).
                if (point.Length != 33 || point[0] != 0x40)
                {
                    throw new OpenPgpFormatException($"{context}: EdDSA point is not 0x40 followed by 32 bytes");
                }
                return new PublicKeyPacket(bytes, created, algorithm) { Ed25519 = new Ed25519PublicKey(point[1..]) };
            }
            case PublicKeyAlgorithm.Ed25519:
            {
                var key = reader.ReadBytes(32, "Ed25519 public key");
                reader.EnsureEnd();
                return new PublicKeyPacket(bytes, created, algorithm) { Ed25519 = new Ed25519PublicKey(key) };
            }
            default:
                return new PublicKeyPacket(bytes, created, algorithm)
                {
                    UnsupportedReason = $"{context}: {PublicKeyAlgorithm.Name(algorithm)} keys are not supported (RSA, EdDSA Ed25519 and Ed25519 are)",
                };
        }
    }

    /// <summary>The body of a legacy EdDSA (22) Ed25519 key, as gpg 2.2 writes it.</summary>
    public static PublicKeyPacket CreateEdDsaLegacy(ReadOnlySpan<byte> publicKey, DateTimeOffset created)
    {
        using var body = new MemoryStream();
        body.WriteByte(4);
        WriteUInt32(body, (uint)created.ToUnixTimeSeconds());
        body.WriteByte(PublicKeyAlgorithm.EdDsaLegacy);
        body.WriteByte((byte)PublicKeyAlgorithm.Ed25519LegacyOid.Length);
        body.Write(PublicKeyAlgorithm.Ed25519LegacyOid);
        Mpi.Write(body, [0x40, .. publicKey]);
        return Parse(body.ToArray(), "public key");
    }

    /// <summary>The body of an RFC 9580 Ed25519 (27) v4 key: the 32 raw octets, no MPI.</summary>
    public static PublicKeyPacket CreateEd25519(ReadOnlySpan<byte> publicKey, DateTimeOffset created)
    {
        using var body = new MemoryStream();
        body.WriteByte(4);
        WriteUInt32(body, (uint)created.ToUnixTimeSeconds());
        body.WriteByte(PublicKeyAlgorithm.Ed25519);
        body.Write(publicKey);
        return Parse(body.ToArray(), "public key");
    }

    /// <summary>Checks a signature value over a digest (OpenPGP signs the digest, not the data).</summary>
    public bool Verify(ReadOnlySpan<byte> digest, HashAlgorithmName hash, ReadOnlySpan<byte> signature)
    {
        try
        {
            if (Rsa is { } parameters)
            {
                using var rsa = System.Security.Cryptography.RSA.Create(parameters);
                // The MPI drops leading zero octets; PKCS#1 wants the signature as wide as the modulus.
                var width = parameters.Modulus!.Length;
                if (signature.Length > width)
                {
                    return false;
                }
                var padded = new byte[width];
                signature.CopyTo(padded.AsSpan(width - signature.Length));
                return rsa.VerifyHash(digest, padded, hash, RSASignaturePadding.Pkcs1);
            }
            if (Ed25519 is { } ed25519)
            {
                return ed25519.Verify(digest, new SshSignature(SshKeyTypes.Ed25519, signature.ToArray()));
            }
        }
        catch (CryptographicException)
        {
            // A key the library will not load (say an even RSA exponent) verifies nothing.
        }
        return false;
    }

    /// <summary>What a key signature hashes for this key (section 5.2.4): 0x99, a two-octet length, the body.</summary>
    public void AppendForHashing(IncrementalHash hash)
    {
        hash.AppendData([0x99, (byte)(Body.Length >> 8), (byte)Body.Length]);
        hash.AppendData(Body);
    }

    private static byte[] FingerprintBytes(byte[] body)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData([0x99, (byte)(body.Length >> 8), (byte)body.Length]);
        sha1.AppendData(body);
        return sha1.GetHashAndReset();
    }

    private static void WriteUInt32(Stream output, uint value)
    {
        output.WriteByte((byte)(value >> 24));
        output.WriteByte((byte)(value >> 16));
        output.WriteByte((byte)(value >> 8));
        output.WriteByte((byte)value);
    }
}
