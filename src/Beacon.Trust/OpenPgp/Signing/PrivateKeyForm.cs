using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Beacon.Trust.OpenPgp.Signing;

/// <summary>
/// Our own private-key form for the bundle-signing key, read only by <see cref="OpenPgpSigningKey.Import"/>:
/// "BEACONPGP" magic, a version octet (1), the key's creation time (uint32, seconds), the 32-byte Ed25519 seed,
/// a two-octet user ID length and the UTF-8 user ID. Everything else (public key, self-signature) is derived
/// deterministically, so the exported public key never changes. The caller encrypts it at rest.
/// </summary>
internal static class PrivateKeyForm
{
    private static ReadOnlySpan<byte> Magic => "BEACONPGP"u8;
    private const byte Version = 1;
    public const int SeedSize = 32;
    public const int MaxUserIdBytes = 1024;

    public static byte[] Write(uint created, ReadOnlySpan<byte> seed, string userId)
    {
        var user = System.Text.Encoding.UTF8.GetBytes(userId);
        var output = new byte[Magic.Length + 1 + 4 + SeedSize + 2 + user.Length];
        var span = output.AsSpan();
        Magic.CopyTo(span);
        span[Magic.Length] = Version;
        var cursor = Magic.Length + 1;
        BinaryPrimitives.WriteUInt32BigEndian(span[cursor..], created);
        cursor += 4;
        seed.CopyTo(span[cursor..]);
        cursor += SeedSize;
        BinaryPrimitives.WriteUInt16BigEndian(span[cursor..], (ushort)user.Length);
        user.CopyTo(span[(cursor + 2)..]);
        return output;
    }

    /// <summary>Reads the form; the caller owns (and zeroes) the returned seed.</summary>
    /// <exception cref="OpenPgpFormatException">Wrong magic or version, wrong length, a bad user ID.</exception>
    public static (uint Created, byte[] Seed, string UserId) Read(ReadOnlySpan<byte> data)
    {
        var fixedLength = Magic.Length + 1 + 4 + SeedSize + 2;
        if (data.Length < fixedLength || !data[..Magic.Length].SequenceEqual(Magic))
        {
            throw new OpenPgpFormatException("not a Beacon OpenPGP private key (bad magic or too short)");
        }
        if (data[Magic.Length] != Version)
        {
            throw new OpenPgpFormatException($"Beacon OpenPGP private key version {data[Magic.Length]} is not supported (1 is)");
        }
        var cursor = Magic.Length + 1;
        var created = BinaryPrimitives.ReadUInt32BigEndian(data[cursor..]);
        cursor += 4;
        var seed = data.Slice(cursor, SeedSize).ToArray();
        cursor += SeedSize;
        var userLength = BinaryPrimitives.ReadUInt16BigEndian(data[cursor..]);
        cursor += 2;
        if (userLength == 0 || userLength > MaxUserIdBytes || data.Length - cursor != userLength)
        {
            CryptographicOperations.ZeroMemory(seed);
            throw new OpenPgpFormatException($"Beacon OpenPGP private key: user ID length {userLength} does not match the {data.Length - cursor} bytes left");
        }
        string userId;
        try
        {
            userId = new System.Text.UTF8Encoding(false, true).GetString(data[cursor..]);
        }
        catch (System.Text.DecoderFallbackException)
        {
            CryptographicOperations.ZeroMemory(seed);
            throw new OpenPgpFormatException("Beacon OpenPGP private key: the user ID is not UTF-8");
        }
        return (created, seed, userId);
    }
}
