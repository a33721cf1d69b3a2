using Beacon.Server.Signing;
using Beacon.Ssh.Certificates;

namespace Beacon.Server.Tests.Signing;

public sealed class CertificateOptionTextTests
{
    [Fact]
    public void KnownCriticalOptionsAreParsed()
    {
        var options = CertificateOptionText.ParseCritical(["force-command=/usr/bin/rsync --server -e.", "source-address=10.0.0.0/8,::1", "verify-required"]);

        Assert.Equal(SshCertificateOption.WithValue("force-command", "/usr/bin/rsync --server -e."), options[0]);
        Assert.Equal(SshCertificateOption.WithValue("source-address", "10.0.0.0/8,::1"), options[1]);
        Assert.Equal(SshCertificateOption.Flag("verify-required"), options[2]);
    }

    [Theory]
    [InlineData("an unknown option", "permit-pty")]
    [InlineData("an unknown option with a value", "no-such-option=1")]
    [InlineData("force-command without a value", "force-command")]
    [InlineData("force-command with an empty value", "force-command=")]
    [InlineData("force-command with a newline", "force-command=ls\nrm -rf /")]
    [InlineData("source-address without a value", "source-address")]
    [InlineData("source-address with a bad network", "source-address=10.0.0.1/8")]
    [InlineData("verify-required with a value", "verify-required=yes")]
    public void BadCriticalOptionIsRefused(string description, string text)
    {
        _ = description;
        Assert.Throws<FormatException>(() => CertificateOptionText.ParseCritical([text]));
    }

    [Fact]
    public void RepeatedCriticalOptionIsRefused() =>
        Assert.Throws<FormatException>(() => CertificateOptionText.ParseCritical(["force-command=a", "force-command=b"]));

    [Fact]
    public void KnownAndVendorExtensionsAreParsed() =>
        Assert.Equal(["permit-pty", "login@github.com"], CertificateOptionText.ParseExtensions(["permit-pty", "login@github.com"]).Select(o => o.Name));

    [Theory]
    [InlineData("")]
    [InlineData("permit-everything")]
    [InlineData("permit pty")]
    [InlineData("permit-pty=yes")]
    public void BadExtensionIsRefused(string name) => Assert.Throws<FormatException>(() => CertificateOptionText.ParseExtensions([name]));

    [Fact]
    public void RepeatedExtensionIsRefused() =>
        Assert.Throws<FormatException>(() => CertificateOptionText.ParseExtensions(["permit-pty", "permit-pty"]));
}
