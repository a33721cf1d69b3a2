using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Krl;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>The builder: round trips, section choice, caller mistakes, and scale.</summary>
public sealed class KrlBuilderTests(KrlWorld world) : IClassFixture<KrlWorld>
{
    private const byte List = 0x20, Range = 0x21, Bitmap = 0x22, KeyId = 0x23;

    [Theory]
    [MemberData(nameof(KrlScenarios.Names), MemberType = typeof(KrlScenarios))]
    public void BuiltKrlParsesBackToWhatWasBuiltAndRevokesWhatTheScenarioSays(string description)
    {
        var builder = KrlScenarios.Build(description, world);
        var model = builder.ToKeyRevocationList();

        var parsed = KrlParser.Parse(builder.Build());

        Assert.Equal(model, parsed);
        Assert.Equal(parsed, KrlParser.Parse(parsed.Encode()));
        Assert.Equal(parsed, KrlBuilder.From(parsed).ToKeyRevocationList());
        foreach (var probe in world.Probes)
        {
            Assert.True(KrlScenarios.All[description].Revokes(probe, world) == probe.IsRevokedBy(parsed), $"{description}: {probe}");
        }
    }

    [Theory]
    [InlineData("one serial is listed", new ulong[] { 7 }, new[] { List })]
    [InlineData("two far-apart serials share one list", new ulong[] { 7, 1UL << 60 }, new[] { List })]
    [InlineData("three consecutive serials make a one-byte bitmap", new ulong[] { 7, 8, 9 }, new[] { Bitmap })]
    [InlineData("every other serial from 1 to 99 is a bitmap", new ulong[] { 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39, 41, 43, 45, 47, 49, 51, 53, 55, 57, 59, 61, 63, 65, 67, 69, 71, 73, 75, 77, 79, 81, 83, 85, 87, 89, 91, 93, 95, 97, 99 }, new[] { Bitmap })]
    [InlineData("scattered serials stay listed around a bitmap", new ulong[] { 2, 1000, 1002, 1004, 1006, 1008, 1010, 1012, 1014, 5000 }, new[] { List, Bitmap })]
    public void SerialsGetTheSmallestSections(string description, ulong[] serials, byte[] expected)
    {
        var bytes = new KrlBuilder { GeneratedDate = 1 }.RevokeSerials(world.CaEd25519.PublicKey, serials).Build();

        Assert.True(expected.SequenceEqual(Assert.Single(KrlBytes.CertificateSubsectionTypes(bytes))), description);
    }

    [Fact]
    public void LongRunIsOneRangeAndKeyIdsComeLast()
    {
        var bytes = new KrlBuilder { GeneratedDate = 1 }
            .RevokeKeyId(world.CaEd25519.PublicKey, "zed")
            .RevokeSerialRange(world.CaEd25519.PublicKey, 100, 100_000)
            .RevokeKeyId(world.CaEd25519.PublicKey, "amy")
            .Build();

        Assert.Equal([Range, KeyId], Assert.Single(KrlBytes.CertificateSubsectionTypes(bytes)));
        Assert.Equal(["amy", "zed"], KrlParser.Parse(bytes).CertificateSections[0].KeyIds);
    }

    [Fact]
    public void BitmapsNeverSpanMoreSerialsThanOpenSshReads()
    {
        // Every other serial over 100000: without the limit this would be one 6 KB bitmap ssh-keygen refuses.
        var serials = Enumerable.Range(0, 50_000).Select(i => 1 + 2 * (ulong)i).ToArray();
        var bytes = new KrlBuilder { GeneratedDate = 1 }.RevokeSerials(world.CaEd25519.PublicKey, serials).Build();

        var types = Assert.Single(KrlBytes.CertificateSubsectionTypes(bytes));
        Assert.All(types, t => Assert.Equal(Bitmap, t));
        Assert.Equal(7, types.Count); // 100000 serials of span at most 16384 each
        Assert.Equal((ulong)serials.Length, KrlParser.Parse(bytes).CertificateSections[0].Serials.SerialCount);
    }

    [Fact]
    public void MillionEveryOtherSerialsBuildIntoCompactBitmaps()
    {
        var builder = new KrlBuilder { GeneratedDate = 1 };
        var ca = world.CaEd25519.PublicKey;
        for (ulong serial = 1; serial <= 2_000_000; serial += 2)
        {
            builder.RevokeSerial(ca, serial);
        }

        var bytes = builder.Build();

        // 2 million serials of span, 16384 per bitmap of 2 KB: about 250 KB, a quarter of a byte per revoked serial.
        Assert.InRange(bytes.Length, 240_000, 260_000);
        var serials = KrlParser.Parse(bytes).CertificateSections[0].Serials;
        Assert.Equal(1_000_000UL, serials.SerialCount);
        Assert.True(serials.Contains(1_999_999) && !serials.Contains(2_000_000) && !serials.Contains(1_000_000));
    }

    [Fact]
    public void MillionSerialDenseRunIsOneRange()
    {
        var builder = new KrlBuilder { GeneratedDate = 1 };
        var ca = world.CaEd25519.PublicKey;
        for (ulong serial = 5_000_000; serial < 6_000_000; serial++)
        {
            builder.RevokeSerial(ca, serial);
        }

        var bytes = builder.Build();

        Assert.True(bytes.Length < 200, $"{bytes.Length} bytes");
        Assert.Equal([Range], Assert.Single(KrlBytes.CertificateSubsectionTypes(bytes)));
    }

    [Fact]
    public void MillionRandomSerialsAreOneListOfEightBytesEach()
    {
        // Random 64-bit serials, as BeaconSSH issues them, have nothing to compress.
        var random = new Random(2);
        var serials = new ulong[1_000_000];
        for (var i = 0; i < serials.Length; i++)
        {
            serials[i] = (ulong)random.NextInt64(1, long.MaxValue) * 2;
        }

        var bytes = new KrlBuilder { GeneratedDate = 1 }.RevokeSerials(world.CaEd25519.PublicKey, serials).Build();

        Assert.InRange(bytes.Length, 8_000_000, 8_000_200);
        Assert.Equal([List], Assert.Single(KrlBytes.CertificateSubsectionTypes(bytes)));
        var parsed = KrlParser.Parse(bytes).CertificateSections[0].Serials;
        Assert.True(parsed.Contains(serials[123_456]) && parsed.Contains(serials[^1]));
    }

    [Fact]
    public void RepeatedRevocationsAreStoredOnce()
    {
        var ca = world.CaEd25519.PublicKey;
        var krl = new KrlBuilder { GeneratedDate = 1 }
            .RevokeSerials(ca, [9, 9, 3, 9]).RevokeSerialRange(ca, 2, 4)
            .RevokeKeyId(ca, "bob").RevokeKeyId(ca, "bob")
            .RevokeKey(world.Subjects[0]).RevokeKey(world.Subjects[0])
            .RevokeKeyBySha256(world.Subjects[1]).RevokeKeyBySha256(world.Subjects[1])
            .ToKeyRevocationList();

        Assert.Equal([new(2, 4), new(9, 9)], krl.CertificateSections[0].Serials);
        Assert.Equal(["bob"], krl.CertificateSections[0].KeyIds);
        Assert.Single(krl.RevokedKeys);
        Assert.Single(krl.RevokedSha256Hashes);
    }

    [Fact]
    public void SectionsFollowTheOrderCasWereFirstNamed()
    {
        var krl = new KrlBuilder { GeneratedDate = 1 }
            .RevokeSerial(world.CaRsa.PublicKey, 1)
            .RevokeKeyId(null, "x")
            .RevokeSerial(world.CaEd25519.PublicKey, 1)
            .RevokeSerial(world.CaRsa.PublicKey, 2)
            .ToKeyRevocationList();

        Assert.Equal([world.CaRsa.PublicKey, null, world.CaEd25519.PublicKey], krl.CertificateSections.Select(s => s.CaKey));
    }

    [Fact]
    public void FromKeepsEverythingAndAddsMore()
    {
        var original = KrlScenarios.Build("everything at once across CAs", world).ToKeyRevocationList();

        var updated = KrlBuilder.From(original).RevokeSerial(world.CaEcdsa.PublicKey, 77).ToKeyRevocationList();

        Assert.True(updated.IsRevoked(world.Probe("ed-s40001").Certificate!));
        Assert.True(updated.FindSection(world.CaEcdsa.PublicKey)!.Serials.Contains(77));
        Assert.Equal(original.Version, updated.Version);
        Assert.Equal(original.RevokedKeys.Count, updated.RevokedKeys.Count);
    }

    [Fact]
    public void GeneratedDateComesFromTheClockWhenNotSet()
    {
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

        var krl = new KrlBuilder(clock).ToKeyRevocationList();

        Assert.Equal(1_800_000_000UL, krl.GeneratedDate);
    }

    [Fact]
    public void CallerMistakesAreArgumentExceptions()
    {
        var ca = world.CaEd25519.PublicKey;
        var builder = new KrlBuilder();

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.RevokeSerial(ca, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.RevokeSerials(ca, [1, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.RevokeSerialRange(ca, 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.RevokeSerialRange(ca, 6, 5));
        Assert.Throws<ArgumentException>(() => builder.RevokeKeyId(ca, "a\0b"));
        Assert.Throws<ArgumentException>(() => builder.RevokeKeyId(ca, "\ud800"));
        Assert.Throws<ArgumentException>(() => builder.Comment = "a\0b");
        Assert.Throws<ArgumentException>(() => builder.RevokeSha256(new byte[31]));
        Assert.Throws<ArgumentException>(() => builder.RevokeSha1(new byte[32]));
    }

    [Fact]
    public void KeyIdsAreSortedAsStrcmpSortsUtf8()
    {
        // In UTF-16 order U+1F600 (the surrogate pair D83D DE00) comes before U+FF21; as UTF-8 bytes
        // (F0 9F 98 80 against EF BC A1) it comes after, and that is the order strcmp and ssh-keygen use.
        var krl = new KrlBuilder { GeneratedDate = 1 }
            .RevokeKeyId(null, "\U0001F600").RevokeKeyId(null, "\uFF21").RevokeKeyId(null, "b").RevokeKeyId(null, "B")
            .ToKeyRevocationList();

        Assert.Equal(["B", "b", "\uFF21", "\U0001F600"], krl.AnyCaSection!.KeyIds);
        Assert.Equal(krl, KrlParser.Parse(krl.Encode()));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
