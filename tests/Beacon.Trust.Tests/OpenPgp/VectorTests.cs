using Beacon.Trust.OpenPgp;

namespace Beacon.Trust.Tests.OpenPgp;

/// <summary>Committed gpg-made keys and signatures: checked without gpg installed.</summary>
public sealed class VectorTests
{
    [Theory]
    [InlineData("ed25519.pub.asc", Vectors.Ed25519Fingerprint, "document.json.ed25519.asc")]
    [InlineData("rsa3072.pub.asc", Vectors.Rsa3072Fingerprint, "document.json.rsa3072.asc")]
    public void GpgVectorVerifies(string keyFile, string fingerprint, string signatureFile)
    {
        var key = OpenPgpPublicKey.Parse(Vectors.Read(keyFile));

        var result = key.VerifyDetached(Vectors.Document, Vectors.Read(signatureFile));

        Assert.Equal(fingerprint, key.Fingerprint);
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(fingerprint, result.IssuerFingerprint);
    }

    [Theory]
    [InlineData("ed25519.pub.asc", "document.json.ed25519.asc")]
    [InlineData("rsa3072.pub.asc", "document.json.rsa3072.asc")]
    public void BinaryFormsVerifyToo(string keyFile, string signatureFile)
    {
        var key = OpenPgpPublicKey.Parse(Vectors.Binary(keyFile));
        Assert.True(key.VerifyDetached(Vectors.Document, Vectors.Binary(signatureFile)).IsValid);
    }

    [Fact]
    public void Sha1VectorIsRefused()
    {
        var key = OpenPgpPublicKey.Parse(Vectors.Read("rsa3072.pub.asc"));
        var result = key.VerifyDetached(Vectors.Document, Vectors.Read("document.json.rsa3072-sha1.asc"));
        Assert.False(result.IsValid);
        Assert.Equal("hash algorithm SHA-1 is refused (broken); sign with SHA-256 or stronger", result.Reason);
    }

    [Fact]
    public void EveryOneByteChangeOfTheDocumentIsRefused()
    {
        var key = OpenPgpPublicKey.Parse(Vectors.Read("ed25519.pub.asc"));
        var signature = Vectors.Read("document.json.ed25519.asc");
        for (var i = 0; i < Vectors.Document.Length; i++)
        {
            var changed = Vectors.Document;
            changed[i] ^= 0x01;
            Assert.False(key.VerifyDetached(changed, signature).IsValid, $"byte {i}");
        }
        Assert.False(key.VerifyDetached(Vectors.Document[..^1], signature).IsValid);
        Assert.False(key.VerifyDetached([.. Vectors.Document, (byte)'\n'], signature).IsValid);
    }

    [Fact]
    public void ArmorHeadersAndCrlfAreTolerated()
    {
        var armored = Vectors.Text("ed25519.pub.asc")
            .Replace("-----\n\n", "-----\nComment: made by gpg\nVersion: GnuPG v2\n\n", StringComparison.Ordinal)
            .Replace("\n", "\r\n", StringComparison.Ordinal);
        var key = OpenPgpPublicKey.Parse(System.Text.Encoding.UTF8.GetBytes("leading text\r\n" + armored + "trailing text\r\n"));
        Assert.Equal(Vectors.Ed25519Fingerprint, key.Fingerprint);
    }

    [Fact]
    public void ArmorWithoutChecksumIsAccepted()
    {
        var lines = Vectors.Text("ed25519.pub.asc").Split('\n').Where(line => !(line.StartsWith('=') && line.Length == 5));
        var key = OpenPgpPublicKey.Parse(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        Assert.Equal(Vectors.Ed25519Fingerprint, key.Fingerprint);
    }
}
