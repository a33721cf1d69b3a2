using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Krl;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>Malformed KRLs: each is one <see cref="SshFormatException"/>, never another exception, a hang or a huge allocation.</summary>
public sealed class KrlParserBadInputTests
{
    private static readonly SshPrivateKey Ca = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
    private static readonly byte[] CaBlob = Ca.PublicKey.Blob.ToArray();
    private static readonly byte[] CertificateBlob = new SshCertificateBuilder
    {
        PublicKey = Ca.PublicKey,
        Type = SshCertificateType.User,
        KeyId = "x",
        Principals = ["x"],
        ValidAfter = 0,
        ValidBefore = SshCertificate.Forever,
    }.Sign(Ca).Blob.ToArray();

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "empty input", [] },
        { "seven bytes, shorter than the magic", "SSHKRL\n"u8.ToArray() },
        { "bad magic", KrlBytes.Header(magic: KrlBytes.Magic ^ 1).ToArray() },
        { "format version 2", KrlBytes.Header(formatVersion: 2).ToArray() },
        { "format version 0", KrlBytes.Header(formatVersion: 0).ToArray() },
        { "comment with a NUL", KrlBytes.Header(comment: "a\0b").ToArray() },
        { "unknown section type 6", KrlBytes.Krl(KrlBytes.Section(6, [])) },
        { "unknown section type 0", KrlBytes.Krl(KrlBytes.Section(0, [])) },
        { "section length of 4 GB", Concat(KrlBytes.Header().ToArray(), [1, 0xff, 0xff, 0xff, 0xff, 0, 0]) },
        { "section length one beyond the data", Concat(KrlBytes.Header().ToArray(), [2, 0, 0, 0, 5, 1, 2, 3, 4]) },
        { "certificate section with no subsections", KrlBytes.Krl(KrlBytes.Certificates(CaBlob)) },
        { "certificate section whose CA key is garbage", KrlBytes.Krl(KrlBytes.Certificates([0, 0, 0, 1, 0x41], KrlBytes.SerialList(1))) },
        { "certificate section whose CA key is a certificate", KrlBytes.Krl(KrlBytes.Certificates(CertificateBlob, KrlBytes.SerialList(1))) },
        { "certificate section whose CA key has trailing bytes", KrlBytes.Krl(KrlBytes.Certificates(Concat(CaBlob, [0]), KrlBytes.SerialList(1))) },
        { "certificate subsection length of 4 GB", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, [0x20, 0xff, 0xff, 0xff, 0xff])) },
        { "unknown certificate subsection 0x24", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.Section(0x24, []))) },
        { "serial list of seven bytes", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.Section(0x20, new byte[7]))) },
        { "serial 0 in a list", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialList(5, 0))) },
        { "serial 0 starting a range", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialRange(0, 5))) },
        { "range whose minimum is above its maximum", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialRange(10, 5))) },
        { "range of one serial only", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.Section(0x21, new byte[8]))) },
        { "range with a trailing byte", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.Section(0x21, Concat(Serials(1, 2), [0])))) },
        { "bitmap marking serial 0", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialBitmap(0, [0x01]))) },
        { "bitmap wrapping past 2^64", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialBitmap(ulong.MaxValue - 5, [0x40]))) },
        { "bitmap at the largest offset with a second bit", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialBitmap(ulong.MaxValue, [0x03]))) },
        { "bitmap of 2049 bytes", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialBitmap(1, Concat([0x01], new byte[2048])))) },
        { "bitmap of 64 KB", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialBitmap(1, Enumerable.Repeat((byte)0x55, 65536).ToArray()))) },
        { "negative bitmap", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialBitmap(1, [0x80]))) },
        { "bitmap with a needless leading zero", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialBitmap(1, [0x00, 0x01]))) },
        { "bitmap length beyond its subsection", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.Section(0x22, Concat(Serials(1), [0, 0, 0, 100, 1, 2])))) },
        { "bitmap with a trailing byte", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.Section(0x22, Concat(Serials(1), [0, 0, 0, 1, 1, 9])))) },
        { "empty key ID subsection", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.Section(0x23, []))) },
        { "key ID with a NUL", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.KeyIds("a\0b"))) },
        { "key ID that is not UTF-8", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.Strings(0x23, [0xff, 0xfe]))) },
        { "key ID length beyond its subsection", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.Section(0x23, [0, 0, 0, 9, 0x41]))) },
        { "empty explicit key section", KrlBytes.Krl(KrlBytes.Section(2, [])) },
        { "certificate as an explicit key", KrlBytes.Krl(KrlBytes.Strings(2, CertificateBlob)) },
        { "explicit key without a type name", KrlBytes.Krl(KrlBytes.Strings(2, [1, 2])) },
        { "explicit key with an empty type name", KrlBytes.Krl(KrlBytes.Strings(2, [0, 0, 0, 0])) },
        { "SHA256 hash of 31 bytes", KrlBytes.Krl(KrlBytes.Strings(5, new byte[31])) },
        { "SHA1 hash of 32 bytes", KrlBytes.Krl(KrlBytes.Strings(3, new byte[32])) },
        { "SHA256 hashes out of order", KrlBytes.Krl(KrlBytes.Strings(5, Hash(32, 2), Hash(32, 1))) },
        { "SHA256 hash repeated", KrlBytes.Krl(KrlBytes.Strings(5, Hash(32, 1), Hash(32, 1))) },
        { "SHA1 hashes out of order", KrlBytes.Krl(KrlBytes.Strings(3, Hash(20, 9), Hash(20, 3))) },
        { "empty SHA256 section", KrlBytes.Krl(KrlBytes.Section(5, [])) },
        { "critical extension section", KrlBytes.Krl(KrlBytes.Extension(255, "revoke-more@example.com", critical: true)) },
        { "critical certificate extension", KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.Extension(0x39, "x@example.com", critical: true))) },
        { "extension with a trailing byte", KrlBytes.Krl(KrlBytes.Section(255, new SshWriter().WriteString("x").WriteBoolean(false).WriteString("").WriteByte(0).ToArray())) },
        { "section after a signature", KrlBytes.Krl(KrlBytes.Signature(CaBlob, [1, 2, 3]), KrlBytes.Certificates(CaBlob, KrlBytes.SerialList(1))) },
        { "signature length beyond the data", Concat(KrlBytes.Krl(KrlBytes.Signature(CaBlob, []))[..^4], [0, 0, 1, 0, 7]) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedKrlIsOneFormatException(string description, byte[] krl)
    {
        var error = Assert.Throws<SshFormatException>(() => KrlParser.Parse(krl));
        Assert.False(string.IsNullOrWhiteSpace(error.Message), description);
    }

    [Fact]
    public void SerialRangesBeyondTheSanityBoundAreRefused()
    {
        // 0x55 marks every other bit: each 2048-byte bitmap describes 8192 separate serials.
        var bitmap = KrlBytes.SerialBitmap(1, Enumerable.Repeat((byte)0x55, 2048).ToArray());
        var bitmaps = KrlParser.MaxSerialRanges / 8192 + 1;
        var subsections = Enumerable.Range(0, bitmaps).Select(i => bitmap).ToArray();
        var krl = KrlBytes.Krl(KrlBytes.Certificates(CaBlob, subsections));

        var error = Assert.Throws<SshFormatException>(() => KrlParser.Parse(krl));

        Assert.Contains("ranges", error.Message);
    }

    [Fact]
    public void EveryTruncatedPrefixIsAFormatExceptionUnlessItEndsOnASection()
    {
        foreach (var krl in ValidKrls())
        {
            var boundaries = KrlBytes.SectionBoundaries(krl);
            for (var length = 0; length < krl.Length; length++)
            {
                var prefix = krl.AsSpan(0, length).ToArray();
                if (boundaries.Contains(length))
                {
                    KrlParser.Parse(prefix); // a prefix that ends on a section is a shorter, valid KRL
                }
                else
                {
                    Assert.Throws<SshFormatException>(() => KrlParser.Parse(prefix));
                }
            }
        }
    }

    [Fact]
    public void TrailingBytesAfterTheLastSectionAreRefused()
    {
        foreach (var krl in ValidKrls())
        {
            foreach (var tail in new byte[][] { [1], [5, 0, 0], [0x20, 0, 0, 0, 0, 0] })
            {
                Assert.Throws<SshFormatException>(() => KrlParser.Parse(Concat(krl, tail)));
            }
        }
    }

    [Fact]
    public void EveryCorruptedByteParsesOrIsAFormatException()
    {
        foreach (var krl in ValidKrls())
        {
            var copy = krl.ToArray();
            for (var i = 0; i < copy.Length; i++)
            {
                foreach (var value in new byte[] { 0x00, 0x01, 0x7f, 0x80, 0xff, (byte)(krl[i] ^ 0x01) })
                {
                    copy[i] = value;
                    try
                    {
                        KrlParser.Parse(copy);
                    }
                    catch (SshFormatException)
                    {
                    }
                }
                copy[i] = krl[i];
            }
        }
    }

    /// <summary>ssh-keygen's vectors and one of ours with every kind of section.</summary>
    private static IEnumerable<byte[]> ValidKrls()
    {
        foreach (var name in KrlVectors.KrlNames)
        {
            yield return KrlVectors.Read(name);
        }
        using var other = SshPrivateKey.Generate(SshKeyAlgorithm.Ecdsa);
        yield return new KrlBuilder { GeneratedDate = 1, Comment = "all kinds" }
            .RevokeSerials(Ca.PublicKey, [1, 2, 7, 9, 11, 12, 13, 1UL << 40])
            .RevokeSerialRange(Ca.PublicKey, 100, 900)
            .RevokeKeyId(Ca.PublicKey, "alice")
            .RevokeKeyId(null, "bob")
            .RevokeSerial(other.PublicKey, 3)
            .RevokeKey(other.PublicKey)
            .RevokeKeyBySha1(Ca.PublicKey)
            .RevokeKeyBySha256(other.PublicKey)
            .Build();
    }

    private static byte[] Serials(params ulong[] serials)
    {
        var writer = new SshWriter();
        foreach (var serial in serials)
        {
            writer.WriteUInt64(serial);
        }
        return writer.ToArray();
    }

    private static byte[] Hash(int length, byte last)
    {
        var hash = new byte[length];
        hash[^1] = last;
        return hash;
    }

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];
}
