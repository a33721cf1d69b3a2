using Beacon.Cli.Settings;

namespace Beacon.Cli.Tests.Settings;

/// <summary>Where beacon keeps its files: BEACON_CONFIG_DIR, then XDG_CONFIG_HOME, then ~/.config.</summary>
public sealed class BeaconPathsTests
{
    private static BeaconPaths From(params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        return BeaconPaths.From(new CliConsole(TextWriter.Null, TextWriter.Null, TextReader.Null)
        {
            Environment = name => environment.GetValueOrDefault(name),
        });
    }

    [Fact]
    public void HomeGivesDotConfigBeacon() =>
        Assert.Equal("/home/ann/.config/beacon/config.json", From(("HOME", "/home/ann")).ConfigFile);

    [Fact]
    public void XdgConfigHomeIsHonoured() =>
        Assert.Equal("/xdg/beacon/id_ed25519-cert.pub", From(("HOME", "/home/ann"), ("XDG_CONFIG_HOME", "/xdg")).CertificateFile);

    [Fact]
    public void ARelativeXdgConfigHomeIsIgnoredAsTheSpecSays() =>
        Assert.Equal("/home/ann/.config/beacon", From(("HOME", "/home/ann"), ("XDG_CONFIG_HOME", "relative")).Directory);

    [Fact]
    public void BeaconConfigDirWinsOverBoth() =>
        Assert.Equal("/tmp/b/tokens.json", From(("HOME", "/home/ann"), ("XDG_CONFIG_HOME", "/xdg"), ("BEACON_CONFIG_DIR", "/tmp/b")).TokenFile);

    [Fact]
    public void KnownHostsIsInHomesSshDirectory() =>
        Assert.Equal("/home/ann/.ssh/known_hosts", From(("HOME", "/home/ann"), ("BEACON_CONFIG_DIR", "/tmp/b")).KnownHostsFile);

    [Fact]
    public void NoHomeAndNoOverrideIsAClearError() =>
        Assert.Contains("HOME is not set", Assert.Throws<CliException>(() => From()).Message, StringComparison.Ordinal);
}
