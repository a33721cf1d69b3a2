using System.Text;
using Beacon.Trust.OpenPgp;

namespace Beacon.Trust.Tests.OpenPgp;

/// <summary>The signing key's own contract: export/import, determinism, argument checks.</summary>
public sealed class SigningKeyTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("bundle bytes\n");

    [Fact]
    public void ExportImportRoundTripSignsIdentically()
    {
        using var original = OpenPgpSigningKey.Generate("Beacon <beacon@example.test>", Created);
        using var imported = OpenPgpSigningKey.Import(original.Export());
        var signedAt = Created.AddMinutes(5);

        Assert.Equal(original.PublicKey.Fingerprint, imported.PublicKey.Fingerprint);
        Assert.Equal(original.ExportPublicArmored(), imported.ExportPublicArmored());
        // Ed25519 is deterministic: the same key, time and document give the same signature.
        Assert.Equal(original.SignDetached(Document, signedAt), imported.SignDetached(Document, signedAt));
        var signature = Encoding.UTF8.GetBytes(imported.SignDetached(Document, signedAt));
        Assert.True(original.PublicKey.VerifyDetached(Document, signature).IsValid);
    }

    [Fact]
    public void PublicKeyParsesFromItsArmor()
    {
        using var key = OpenPgpSigningKey.Generate("Beacon <beacon@example.test>", Created);
        var parsed = OpenPgpPublicKey.Parse(Encoding.UTF8.GetBytes(key.ExportPublicArmored()));

        Assert.Equal(key.PublicKey.Fingerprint, parsed.Fingerprint);
        Assert.Matches("^[0-9A-F]{40}$", parsed.Fingerprint);
        Assert.Equal(["Beacon <beacon@example.test>"], parsed.UserIds);
        Assert.Equal(Created, parsed.Created);
    }

    [Fact]
    public void TwoGeneratedKeysDiffer()
    {
        using var a = OpenPgpSigningKey.Generate("Beacon <beacon@example.test>", Created);
        using var b = OpenPgpSigningKey.Generate("Beacon <beacon@example.test>", Created);
        Assert.NotEqual(a.PublicKey.Fingerprint, b.PublicKey.Fingerprint);
        var signature = Encoding.UTF8.GetBytes(a.SignDetached(Document, Created));
        var result = b.PublicKey.VerifyDetached(Document, signature);
        Assert.False(result.IsValid);
        Assert.StartsWith($"signed by key 0x{a.PublicKey.Fingerprint} which is not the pinned key", result.Reason);
    }

    [Fact]
    public void SignatureBeforeKeyCreationIsAnArgumentError()
    {
        using var key = OpenPgpSigningKey.Generate("Beacon <beacon@example.test>", Created);
        Assert.Throws<ArgumentException>(() => key.SignDetached(Document, Created.AddSeconds(-1)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("two\nlines")]
    public void BadUserIdIsAnArgumentError(string userId) =>
        Assert.ThrowsAny<ArgumentException>(() => OpenPgpSigningKey.Generate(userId, Created));

    [Fact]
    public void DisposedKeyNoLongerExportsOrSigns()
    {
        var key = OpenPgpSigningKey.Generate("Beacon <beacon@example.test>", Created);
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Export());
        Assert.Throws<ObjectDisposedException>(() => key.SignDetached(Document, Created));
    }

    [Theory]
    [InlineData("empty", "")]
    [InlineData("wrong magic", "4e4f54415045593101000000000000000000000000000000000000000000000000000000000000000000000000000041")]
    [InlineData("unknown version", "424541434f4e50475002000000000000000000000000000000000000000000000000000000000000000000000000000141")]
    [InlineData("user ID length past the end", "424541434f4e50475001000000000000000000000000000000000000000000000000000000000000000000000000000541")]
    [InlineData("no user ID", "424541434f4e5047500100000000000000000000000000000000000000000000000000000000000000000000000000")]
    public void MalformedPrivateFormIsRefused(string description, string hex)
    {
        var exception = Assert.Throws<OpenPgpFormatException>(() => OpenPgpSigningKey.Import(Convert.FromHexString(hex)));
        Assert.DoesNotContain('\n', exception.Message);
        Assert.NotEmpty(description);
    }
}
