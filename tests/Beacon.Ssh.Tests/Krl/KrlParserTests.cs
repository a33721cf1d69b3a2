using System.Diagnostics;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Krl;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>What the parser accepts that ssh-keygen would not write, and how it reads it (as OpenSSH does).</summary>
public sealed class KrlParserTests
{
    private static readonly SshPublicKey Ca = PublicKeyOf(SshKeyAlgorithm.Ed25519);
    private static readonly byte[] CaBlob = Ca.Blob.ToArray();

    [Fact]
    public void UnsortedSerialListIsMergedIntoRanges()
    {
        var krl = KrlParser.Parse(KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialList(9, 3, 4, 5, 1, 4))));

        Assert.Equal([new(1, 1), new(3, 5), new(9, 9)], Assert.Single(krl.CertificateSections).Serials);
    }

    [Fact]
    public void OverlappingAndAdjacentSubsectionsMerge()
    {
        var krl = KrlParser.Parse(KrlBytes.Krl(KrlBytes.Certificates(CaBlob,
            KrlBytes.SerialRange(15, 30), KrlBytes.SerialRange(10, 20), KrlBytes.SerialList(31), KrlBytes.SerialBitmap(32, [0x05]))));

        Assert.Equal([new(10, 32), new(34, 34)], Assert.Single(krl.CertificateSections).Serials);
    }

    [Fact]
    public void SectionsForTheSameCaMergeIntoOne()
    {
        var krl = KrlParser.Parse(KrlBytes.Krl(
            KrlBytes.Certificates(CaBlob, KrlBytes.SerialList(1), KrlBytes.KeyIds("bob")),
            KrlBytes.Certificates([], KrlBytes.KeyIds("carol")),
            KrlBytes.Certificates(CaBlob, KrlBytes.SerialList(2), KrlBytes.KeyIds("alice", "bob"))));

        Assert.Equal(2, krl.CertificateSections.Count);
        var section = krl.FindSection(Ca)!;
        Assert.Same(section, krl.CertificateSections[0]);
        Assert.Equal([new(1, 2)], section.Serials);
        Assert.Equal(["alice", "bob"], section.KeyIds);
        Assert.Equal(["carol"], krl.AnyCaSection!.KeyIds);
    }

    [Fact]
    public void BitmapBitsAreSerialsFromTheOffset()
    {
        // 0x01 0x82: bits 1, 7 and 8 of the integer.
        var krl = KrlParser.Parse(KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialBitmap(100, [0x01, 0x82]))));

        Assert.Equal([new(101, 101), new(107, 108)], Assert.Single(krl.CertificateSections).Serials);
    }

    [Fact]
    public void LargestBitmapOpenSshReadsIsAccepted()
    {
        // 2048 magnitude bytes with the top bit set, so 2049 on the wire with the sign byte: OpenSSH's limit exactly.
        var bits = new byte[2049];
        bits[1] = 0x80;
        bits[^1] = 0x01;
        var krl = KrlParser.Parse(KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialBitmap(1, bits))));

        Assert.Equal([new(1, 1), new(16384, 16384)], Assert.Single(krl.CertificateSections).Serials);
    }

    [Fact]
    public void BitmapEndingAtTheLargestSerialIsAccepted()
    {
        var krl = KrlParser.Parse(KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialBitmap(ulong.MaxValue - 1, [0x03]))));

        Assert.Equal([new(ulong.MaxValue - 1, ulong.MaxValue)], Assert.Single(krl.CertificateSections).Serials);
    }

    [Fact]
    public void RangeOfEverySerialIsNeverExpanded()
    {
        var stopwatch = Stopwatch.StartNew();
        var krl = KrlParser.Parse(KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialRange(1, ulong.MaxValue), KrlBytes.SerialRange(1, ulong.MaxValue))));
        var serials = Assert.Single(krl.CertificateSections).Serials;

        Assert.Equal(ulong.MaxValue, serials.SerialCount);
        Assert.Single(serials);
        Assert.True(serials.Contains(1) && serials.Contains(1UL << 63) && serials.Contains(ulong.MaxValue));
        Assert.False(serials.Contains(0));
        Assert.True(krl.Encode().Length < 200);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), "a full range must be one range, not 2^64 serials");
    }

    [Fact]
    public void EmptyBitmapRevokesNothingAndItsSectionDisappears()
    {
        var krl = KrlParser.Parse(KrlBytes.Krl(KrlBytes.Certificates(CaBlob, KrlBytes.SerialBitmap(5, []))));

        Assert.Empty(krl.CertificateSections);
    }

    [Fact]
    public void NonCriticalExtensionsAreIgnoredAsTheSpecAllows()
    {
        var krl = KrlParser.Parse(KrlBytes.Krl(
            KrlBytes.Extension(255, "note@example.com", critical: false),
            KrlBytes.Certificates(CaBlob, KrlBytes.Extension(0x39, "note@example.com", critical: false), KrlBytes.SerialList(7))));

        Assert.Equal([new(7, 7)], Assert.Single(krl.CertificateSections).Serials);
    }

    [Fact]
    public void SignatureSectionsAreExposedButNeverVerifiedOrWritten()
    {
        var body = KrlBytes.Certificates(CaBlob, KrlBytes.SerialList(7));
        var krl = KrlParser.Parse(KrlBytes.Krl(body, KrlBytes.Signature(CaBlob, [1, 2, 3]), KrlBytes.Signature([9], [])));

        Assert.Equal(2, krl.Signatures.Count);
        Assert.Equal(CaBlob, krl.Signatures[0].SignatureKey.ToArray());
        Assert.Equal([1, 2, 3], krl.Signatures[0].Signature.ToArray());
        var reencoded = KrlParser.Parse(krl.Encode());
        Assert.Empty(reencoded.Signatures);
        Assert.Equal(krl, reencoded);
    }

    [Fact]
    public void ExplicitKeysOfTypesWeDoNotSupportAreKeptAsBlobs()
    {
        var dsa = new Wire.SshWriter().WriteString("ssh-dss").WriteString([1, 2, 3]).ToArray();
        var krl = KrlParser.Parse(KrlBytes.Krl(KrlBytes.Strings(2, dsa, CaBlob, dsa)));

        Assert.Equal(2, krl.RevokedKeys.Count);
        Assert.True(krl.IsRevoked(Ca));
        Assert.Equal(krl, KrlParser.Parse(krl.Encode()));
    }

    [Fact]
    public void HeaderFieldsAreRead()
    {
        var bytes = new KrlBuilder { Version = 77, GeneratedDate = 1_700_000_123, Flags = 4, Comment = "weekly ✓" }.Build();
        var krl = KrlParser.Parse(bytes);

        Assert.Equal(77UL, krl.Version);
        Assert.Equal(1_700_000_123UL, krl.GeneratedDate);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_123), krl.GeneratedAt);
        Assert.Equal(4UL, krl.Flags);
        Assert.Equal("weekly ✓", krl.Comment);
    }

    private static SshPublicKey PublicKeyOf(SshKeyAlgorithm algorithm)
    {
        using var key = SshPrivateKey.Generate(algorithm);
        return key.PublicKey;
    }
}
