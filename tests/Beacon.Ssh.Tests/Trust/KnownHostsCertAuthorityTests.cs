using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Trust;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Trust;

public sealed class KnownHostsCertAuthorityTests
{
    private static readonly SshPublicKey HostCa = Ed25519PrivateKey.Generate().PublicKey;

    [Fact]
    public void FormatsMarkerPatternsKeyAndComment()
    {
        var line = new KnownHostsCertAuthority(["*.example.com", "10.0.0.*", "!bad.example.com"], HostCa, "beacon host CA").ToLine();

        Assert.Equal($"@cert-authority *.example.com,10.0.0.*,!bad.example.com {HostCa.ToOpenSshString()} beacon host CA", line);
    }

    [Fact]
    public void FormattedLineParsesBackToTheSameParts()
    {
        var original = new KnownHostsCertAuthority(["[127.0.0.1]:2222", "localhost"], HostCa, "ca");

        var parsed = KnownHostsCertAuthority.Parse(original.ToLine());

        Assert.Equal(original.Patterns, parsed.Patterns);
        Assert.Equal(original.Key, parsed.Key);
        Assert.Equal("ca", parsed.Comment);
        Assert.Equal(original.ToLine(), parsed.ToLine());
    }

    [Fact]
    public void ParsesTabsAndSurroundingWhitespaceWithoutAComment()
    {
        var parsed = KnownHostsCertAuthority.Parse($"  @cert-authority\t*\t{HostCa.ToOpenSshString()}  \r");

        Assert.Equal(["*"], parsed.Patterns);
        Assert.Null(parsed.Comment);
    }

    [Theory]
    [InlineData("an empty pattern in the middle", "a,,b")]
    [InlineData("a trailing comma", "a,")]
    [InlineData("a leading comma", ",a")]
    [InlineData("a bare negation", "!")]
    public void EmptyPatternIsRefused(string description, string patterns)
    {
        _ = description;
        var e = Assert.Throws<SshFormatException>(() => KnownHostsCertAuthority.ParsePatterns(patterns));
        Assert.Contains("empty", e.Message);
    }

    [Theory]
    [InlineData("a space", "a b")]
    [InlineData("a tab", "a\tb")]
    [InlineData("a newline that would inject a second line", "a\n@cert-authority")]
    [InlineData("a carriage return", "a\rb")]
    [InlineData("a comma inside one pattern", "a,b")]
    public void PatternWithWhitespaceOrSeparatorIsRefused(string description, string pattern)
    {
        _ = description;
        Assert.Throws<SshFormatException>(() => new KnownHostsCertAuthority([pattern], HostCa));
    }

    [Fact]
    public void NoPatternsIsRefused() =>
        Assert.Throws<SshFormatException>(() => new KnownHostsCertAuthority([], HostCa));

    [Fact]
    public void TooManyPatternsAreRefused() =>
        Assert.Throws<SshFormatException>(() => KnownHostsCertAuthority.ParsePatterns(string.Join(',', Enumerable.Repeat("h", KnownHostsCertAuthority.MaxPatterns + 1))));

    [Fact]
    public void CommentWithALineBreakIsRefused() =>
        Assert.Throws<SshFormatException>(() => new KnownHostsCertAuthority(["*"], HostCa, "ok\n@cert-authority * ssh-ed25519 AAAA"));

    [Theory]
    [InlineData("no marker", "* ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==")]
    [InlineData("the revoked marker", "@revoked * KEY")]
    [InlineData("a marker in the wrong case", "@Cert-Authority * KEY")]
    [InlineData("no key", "@cert-authority *")]
    [InlineData("a key that is not base64", "@cert-authority * ssh-ed25519 !!!")]
    [InlineData("an empty line", "")]
    public void MalformedLineIsRefused(string description, string line)
    {
        _ = description;
        Assert.Throws<SshFormatException>(() => KnownHostsCertAuthority.Parse(line.Replace("KEY", HostCa.ToOpenSshString())));
    }

    [Fact]
    public void CertificateAsTheCaKeyIsRefused()
    {
        using var ca = Ed25519PrivateKey.Generate();
        var certificate = new SshCertificateBuilder
        {
            PublicKey = HostCa,
            Type = SshCertificateType.Host,
            KeyId = "host",
            Principals = ["h"],
            ValidAfter = 0,
            ValidBefore = SshCertificate.Forever,
        }.Sign(ca);

        Assert.Throws<SshFormatException>(() => KnownHostsCertAuthority.Parse($"@cert-authority * {certificate.ToOpenSshString()}"));
    }

    [Fact]
    public void OverlongLineIsRefused() =>
        Assert.Throws<SshFormatException>(() => KnownHostsCertAuthority.Parse("@cert-authority " + new string('a', SshPublicKeyParser.MaxLineLength)));

    [RequiresOpenSshFact]
    public void SshKeygenFindsTheLineForMatchingHostsOnly()
    {
        using var dir = new TempDirectory();
        var knownHosts = dir.Write("known_hosts", new KnownHostsCertAuthority(["*.example.com", "!bad.example.com", "127.0.0.1"], HostCa, "ca").ToLine() + "\n");

        var found = OpenSsh.Keygen("-F", "web.example.com", "-f", knownHosts);
        var negated = OpenSsh.Keygen("-F", "bad.example.com", "-f", knownHosts);
        var other = OpenSsh.Keygen("-F", "example.org", "-f", knownHosts);

        Assert.True(found.ExitCode == 0, found.ToString());
        Assert.Contains("found: line 1 CA", found.StandardOutput);
        Assert.Contains(HostCa.ToOpenSshString(), found.StandardOutput);
        Assert.NotEqual(0, negated.ExitCode);
        Assert.NotEqual(0, other.ExitCode);
    }
}
