using System.Text;
using Beacon.Trust.OpenPgp;
using Beacon.Trust.OpenPgp.Signatures;

namespace Beacon.Trust.Tests.OpenPgp;

/// <summary>Bad keys and signatures: always an <see cref="OpenPgpFormatException"/> with a one-line message (or an invalid result), never another exception.</summary>
public sealed class MalformedInputTests
{
    private static byte[] Ed25519KeyBinary => Vectors.Binary("ed25519.pub.asc");

    private static byte[] RsaKeyBinary => Vectors.Binary("rsa3072.pub.asc");

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static TheoryData<string, byte[], string> BadKeys()
    {
        var armor = Vectors.Text("ed25519.pub.asc");
        var crcLine = armor.Split('\n').Single(line => line.StartsWith('=') && line.Length == 5);
        var badCrc = armor.Replace(crcLine, crcLine[..4] + (crcLine[4] == 'A' ? 'B' : 'A'), StringComparison.Ordinal);
        return new TheoryData<string, byte[], string>
        {
            { "empty", [], "empty" },
            { "garbage text", Ascii("hello, this is not a key\n"), "not OpenPGP data" },
            { "truncated armor", Ascii(armor[..(armor.Length / 2)]), "truncated" },
            { "bad CRC", Ascii(badCrc), "checksum" },
            { "wrong armor type", Vectors.Read("document.json.ed25519.asc"), "expected \"-----BEGIN PGP PUBLIC KEY BLOCK-----\"" },
            { "bad base64", Ascii("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDME*&^%\n-----END PGP PUBLIC KEY BLOCK-----\n"), "base64" },
            { "mismatched END", Ascii(armor.Replace("END PGP PUBLIC KEY BLOCK", "END PGP SIGNATURE", StringComparison.Ordinal)), "armor ends with" },
            { "second header without tag bit", [0x80, 0x00, 0x00], "lacks the packet-tag bit" },
            { "huge declared length", [0xC6, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0x04], "over the 65536-byte limit" },
            { "length past the end", [0xC6, 0x20, 0x04, 0x00], "runs past the end" },
            { "partial body length", [0xC6, 0xE1, 0x04, 0x00], "partial body length" },
            { "old-format indeterminate length", [0x9B, 0x04, 0x00], "indeterminate length" },
            { "truncated header", [0xC6, 0xFF, 0x00], "header is truncated" },
            { "a signature, not a key", Vectors.Binary("document.json.ed25519.asc"), "expected a public key (6)" },
            { "a secret key", [0xC5, 0x01, 0x04], "secret key" },
            { "unknown algorithm", [0xC6, 0x06, 0x04, 0x00, 0x00, 0x00, 0x01, 99], "algorithm 99 keys are not supported" },
            { "DSA", [0xC6, 0x06, 0x04, 0x00, 0x00, 0x00, 0x01, 17], "DSA keys are not supported" },
            { "v3 key", [0xC6, 0x06, 0x03, 0x00, 0x00, 0x00, 0x01, 1], "version 3 keys are not supported" },
            { "MPI longer than its packet", [0xC6, 0x0A, 0x04, 0x00, 0x00, 0x00, 0x01, 0x01, 0x10, 0x00, 0xC1, 0x23], "RSA modulus n (512 bytes) runs past the end" },
            { "MPI over the bit limit", [0xC6, 0x08, 0x04, 0x00, 0x00, 0x00, 0x01, 0x01, 0xFF, 0xFF], "over the 16384-bit limit" },
            { "EdDSA point without prefix", EdDsaKey(0x41), "0x40" },
            { "other curve", [0xC6, 0x0C, 0x04, 0x00, 0x00, 0x00, 0x01, 22, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22], "curve OID" },
            { "key without user ID", Ed25519KeyBinary[..(Ed25519KeyBinary[1] + 2)], "no user ID with a valid self-signature" },
            { "two keys", [.. Ed25519KeyBinary, .. RsaKeyBinary], "more than one key" },
            { "over 1 MiB", new byte[1024 * 1024 + 1], "over the 1048576-byte limit" },
        };
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void BadKeyIsRefused(string description, byte[] input, string expected)
    {
        var exception = Assert.Throws<OpenPgpFormatException>(() => OpenPgpPublicKey.Parse(input));
        Assert.Contains(expected, exception.Message);
        Assert.DoesNotContain('\n', exception.Message);
        Assert.NotEmpty(description);
    }

    public static TheoryData<string, byte[], string> BadSignatures()
    {
        var armor = Vectors.Text("document.json.ed25519.asc");
        var binary = Vectors.Binary("document.json.ed25519.asc");
        return new TheoryData<string, byte[], string>
        {
            { "empty", [], "empty" },
            { "garbage", Ascii("not a signature"), "not OpenPGP data" },
            { "truncated armor", Ascii(armor[..(armor.Length - 40)]), "truncated" },
            { "wrong armor type", Vectors.Read("ed25519.pub.asc"), "expected \"-----BEGIN PGP SIGNATURE-----\"" },
            { "a key, not a signature", Ed25519KeyBinary, "packet of type 6" },
            { "two signatures", [.. binary, .. binary], "more than one signature" },
            { "truncated packet", binary[..^5], "runs past the end" },
            { "hashed area past the end", [0xC2, 0x06, 0x04, 0x00, 22, 10, 0x10, 0x00], "hashed subpackets (4096 bytes) runs past the end" },
            { "subpacket past its area", [0xC2, 0x0C, 0x04, 0x00, 22, 10, 0x00, 0x02, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00], "subpacket length 9" },
            { "EdDSA r over 32 bytes", [0xC2, 0x0F, 0x04, 0x00, 22, 10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x01, 0x02, 0x03], "runs past the end" },
        };
    }

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public void BadSignatureIsRefused(string description, byte[] input, string expected)
    {
        var exception = Assert.Throws<OpenPgpFormatException>(() => DetachedSignature.Parse(input));
        Assert.Contains(expected, exception.Message);
        Assert.DoesNotContain('\n', exception.Message);

        var key = OpenPgpPublicKey.Parse(Vectors.Read("ed25519.pub.asc"));
        var result = key.VerifyDetached(Vectors.Document, input);
        Assert.False(result.IsValid, description);
        Assert.StartsWith("malformed signature: ", result.Reason);
    }

    [Fact]
    public void UnknownSignatureAlgorithmIsAnInvalidResult()
    {
        var key = OpenPgpPublicKey.Parse(Vectors.Read("ed25519.pub.asc"));
        var result = key.VerifyDetached(Vectors.Document, [0xC2, 0x0A, 0x04, 0x00, 17, 10, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34]);
        Assert.False(result.IsValid);
        Assert.Equal("DSA signatures are not supported (RSA, EdDSA Ed25519 and Ed25519 are)", result.Reason);
    }

    [Fact]
    public void EveryTruncationOfAKeyIsRefusedOrReadsAnEarlierComplete()
    {
        foreach (var source in new[] { Ed25519KeyBinary, RsaKeyBinary })
        {
            for (var length = 0; length < source.Length; length++)
            {
                try
                {
                    OpenPgpPublicKey.Parse(source.AsSpan(0, length));
                }
                catch (OpenPgpFormatException e)
                {
                    Assert.DoesNotContain('\n', e.Message);
                }
            }
        }
    }

    [Fact]
    public void EveryTruncationOfASignatureIsRefused()
    {
        var binary = Vectors.Binary("document.json.rsa3072.asc");
        for (var length = 0; length < binary.Length; length++)
        {
            Assert.Throws<OpenPgpFormatException>(() => DetachedSignature.Parse(binary.AsSpan(0, length)));
        }
    }

    [Fact]
    public void EveryOneByteCorruptionIsRefusedOrHarmless()
    {
        var keys = new[] { Ed25519KeyBinary, RsaKeyBinary };
        foreach (var source in keys)
        {
            for (var i = 0; i < source.Length; i++)
            {
                foreach (var flip in new byte[] { 0x01, 0x80, 0xFF })
                {
                    var corrupt = (byte[])source.Clone();
                    corrupt[i] ^= flip;
                    try
                    {
                        OpenPgpPublicKey.Parse(corrupt);
                    }
                    catch (OpenPgpFormatException)
                    {
                    }
                }
            }
        }

        var key = OpenPgpPublicKey.Parse(Vectors.Read("ed25519.pub.asc"));
        var signature = Vectors.Binary("document.json.ed25519.asc");
        var valid = 0;
        for (var i = 0; i < signature.Length; i++)
        {
            var corrupt = (byte[])signature.Clone();
            corrupt[i] ^= 0x01;
            if (key.VerifyDetached(Vectors.Document, corrupt).IsValid)
            {
                valid++;
            }
        }
        // Only the unhashed issuer subpacket (its type and 8-byte key ID; the hashed fingerprint subpacket names
        // the issuer) and the low bit of an MPI bit count that keeps its byte length (read leniently, as gpg does)
        // may change harmlessly: 10 positions in this vector.
        Assert.InRange(valid, 0, 10);
    }

    private static byte[] EdDsaKey(byte prefix)
    {
        byte[] body = [0x04, 0x00, 0x00, 0x00, 0x01, 22, 0x09, 0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01, 0x01, 0x07, prefix, .. new byte[32]];
        return [0xC6, (byte)body.Length, .. body];
    }
}
