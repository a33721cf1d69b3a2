using Beacon.Server.Signing;

namespace Beacon.Server.Tests.Signing;

public sealed class CertificateFieldsTests
{
    [Fact]
    public void PrincipalsAreSplitOnCommas() =>
        Assert.Equal(["alice", "deploy", "host-1.example.com"], CertificateFields.ParsePrincipals("alice,deploy,host-1.example.com"));

    [Theory]
    [InlineData("nothing, which sshd would read as any principal", "")]
    [InlineData("only whitespace", "  ")]
    [InlineData("an empty principal in the middle", "a,,b")]
    [InlineData("a trailing comma", "a,")]
    [InlineData("whitespace inside", "a b")]
    [InlineData("a newline", "a\nroot")]
    [InlineData("a repeat", "a,a")]
    public void BadPrincipalListIsRefused(string description, string list)
    {
        _ = description;
        Assert.Throws<FormatException>(() => CertificateFields.ParsePrincipals(list));
    }

    [Fact]
    public void TooManyPrincipalsAreRefused() =>
        Assert.Throws<FormatException>(() => CertificateFields.ParsePrincipals(string.Join(',', Enumerable.Range(0, 257).Select(i => $"p{i}"))));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("alice\nforged log line")]
    [InlineData("alice\u001b[2J")]
    public void BadKeyIdIsRefused(string keyId) => Assert.Throws<FormatException>(() => CertificateFields.ValidateKeyId(keyId));

    [Fact]
    public void KeyIdWithSpacesIsKept() => Assert.Equal("alice via github req 42", CertificateFields.ValidateKeyId("alice via github req 42"));
}
