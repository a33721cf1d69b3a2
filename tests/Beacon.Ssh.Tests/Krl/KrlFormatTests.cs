using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Krl;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>The KRL encoding's compactness, and the parser's refusal of malformed input.</summary>
public sealed class KrlFormatTests
{
    private static readonly SshPublicKey Ca = Ed25519PrivateKey.Generate().PublicKey;

    private static byte[] Sample() => KrlWriter.Write(new KrlBuilder()
        .RevokeSerial(Ca, 7)
        .RevokeSerialRange(Ca, 100, 5000)
        .RevokeSerial(Ca, 6000).RevokeSerial(Ca, 6002).RevokeSerial(Ca, 6005)
        .RevokeKeyId(Ca, "stolen")
        .RevokeKey(Ed25519PrivateKey.Generate().PublicKey)
        .RevokeKeySha256(Ed25519PrivateKey.Generate().PublicKey)
        .Build(2, DateTimeOffset.UnixEpoch, "sample"));

    [Fact]
    public void EveryTruncatedPrefixParsesOrThrowsOnlyTheFormatException()
    {
        var data = Sample();
        var header = 8 + 4 + 8 + 8 + 8 + 4 + 4 + "sample".Length;
        for (var length = 0; length < data.Length; length++)
        {
            var prefix = data.AsSpan(0, length).ToArray();
            if (length < header)
            {
                Assert.Throws<SshFormatException>(() => KrlParser.Parse(prefix));
                continue;
            }
            // A prefix that ends exactly between sections is itself a valid, smaller KRL.
            try
            {
                KrlParser.Parse(prefix);
            }
            catch (SshFormatException)
            {
            }
        }
    }

    public static TheoryData<string, byte[]> Malformed()
    {
        static byte[] Krl(Action<SshWriter> sections, uint format = 1, ulong magic = 0x5353484b524c0a00)
        {
            var writer = new SshWriter();
            writer.WriteUInt64(magic).WriteUInt32(format).WriteUInt64(1).WriteUInt64(0).WriteUInt64(0).WriteString(ReadOnlySpan<byte>.Empty).WriteString("");
            sections(writer);
            return writer.ToArray();
        }
        static void CertSection(SshWriter writer, byte subType, Action<SshWriter> body)
        {
            var sub = new SshWriter();
            body(sub);
            var section = new SshWriter();
            section.WriteString(ReadOnlySpan<byte>.Empty).WriteString(ReadOnlySpan<byte>.Empty).WriteByte(subType).WriteString(sub);
            writer.WriteByte(1).WriteString(section);
        }
        return new TheoryData<string, byte[]>
        {
            { "bad magic", Krl(_ => { }, magic: 0x1234) },
            { "format version 2", Krl(_ => { }, format: 2) },
            { "unknown section type", Krl(w => w.WriteByte(9).WriteString(ReadOnlySpan<byte>.Empty)) },
            { "section length beyond the data", Krl(w => w.WriteByte(2).WriteUInt32(1000)) },
            { "range low above high", Krl(w => CertSection(w, 0x21, s => s.WriteUInt64(10).WriteUInt64(9))) },
            { "range with trailing bytes", Krl(w => CertSection(w, 0x21, s => s.WriteUInt64(1).WriteUInt64(2).WriteByte(0))) },
            { "serial list not a multiple of 8", Krl(w => CertSection(w, 0x20, s => s.WriteUInt32(5))) },
            { "bitmap past 2^64", Krl(w => CertSection(w, 0x22, s => s.WriteUInt64(ulong.MaxValue - 3).WriteMPIntUnsigned(new byte[] { 0x7f, 0xff }))) },
            { "unknown certificate subsection", Krl(w => CertSection(w, 0x30, _ => { })) },
            { "SHA256 hash of the wrong length", Krl(w => w.WriteByte(5).WriteString(new SshWriter().WriteString(new byte[31]))) },
            { "CA key that is not a key", Krl(w => w.WriteByte(1).WriteString(new SshWriter().WriteString(new byte[] { 0, 0, 0, 3, 1, 2, 3 }).WriteString(ReadOnlySpan<byte>.Empty))) },
            { "critical extension", Krl(w => w.WriteByte(255).WriteString(new SshWriter().WriteString("x@example.com").WriteBoolean(true).WriteString(ReadOnlySpan<byte>.Empty))) },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedKrlIsRefused(string description, byte[] data)
    {
        var e = Assert.Throws<SshFormatException>(() => KrlParser.Parse(data));
        Assert.False(string.IsNullOrEmpty(e.Message), description);
    }

    [Fact]
    public void AWholeSixtyFourBitRangeIsKeptAsOneRange()
    {
        var krl = KrlParser.Parse(KrlWriter.Write(new KrlBuilder().RevokeSerialRange(Ca, 1, ulong.MaxValue).Build(1, DateTimeOffset.UnixEpoch)));
        Assert.Single(krl.CertificateSections[0].Serials);
        Assert.True(krl.CertificateSections[0].IsSerialRevoked(ulong.MaxValue));
    }

    [Fact]
    public void AMillionRevokedSerialsStayCompact()
    {
        var builder = new KrlBuilder();
        for (ulong serial = 1; serial <= 1_000_000; serial++)
        {
            // Every other serial of the first half (a bitmap's case) and a dense second half (a range's case).
            if (serial > 500_000 || serial % 2 == 0)
            {
                builder.RevokeSerial(Ca, serial);
            }
        }
        var bytes = KrlWriter.Write(builder.Build(1, DateTimeOffset.UnixEpoch));
        // 250,000 scattered serials in bitmaps take about 31 KB; listed they would take 2 MB.
        Assert.InRange(bytes.Length, 1, 100_000);
        var parsed = KrlParser.Parse(bytes);
        Assert.True(parsed.CertificateSections[0].IsSerialRevoked(2));
        Assert.False(parsed.CertificateSections[0].IsSerialRevoked(3));
        Assert.True(parsed.CertificateSections[0].IsSerialRevoked(777_777));
    }

    [Fact]
    public void SerialZeroCannotBeRevokedAsOpenSshRefusesIt()
    {
        Assert.Throws<ArgumentException>(() => new KrlBuilder().RevokeSerial(Ca, 0));
        var writer = new SshWriter();
        writer.WriteUInt64(0x5353484b524c0a00).WriteUInt32(1).WriteUInt64(1).WriteUInt64(0).WriteUInt64(0).WriteString(ReadOnlySpan<byte>.Empty).WriteString("");
        var section = new SshWriter().WriteString(ReadOnlySpan<byte>.Empty).WriteString(ReadOnlySpan<byte>.Empty).WriteByte(0x20).WriteString(new SshWriter().WriteUInt64(0));
        writer.WriteByte(1).WriteString(section);
        Assert.Throws<SshFormatException>(() => KrlParser.Parse(writer.ToArray()));
    }

    [Fact]
    public void SerialZeroIsNeverMatchedBySerial()
    {
        using var key = Ed25519PrivateKey.Generate();
        using var ca = Ed25519PrivateKey.Generate();
        var certificate = new SshCertificateBuilder
        {
            PublicKey = key.PublicKey, Type = SshCertificateType.User, KeyId = "x", Principals = ["a"], ValidAfter = 0, ValidBefore = 10, Serial = 0,
        }.Sign(ca);
        var krl = new KrlBuilder().RevokeSerialRange(null, 1, 100).RevokeKeyId(ca.PublicKey, "other").Build(1, DateTimeOffset.UnixEpoch);
        Assert.False(krl.IsRevoked(certificate));
    }
}
