using Beacon.Cli.Commands.Telemetry;

namespace Beacon.Cli.Tests;

public sealed class TelemetryCommandNameTests
{
    [Fact]
    public void TheTableOfCommandNamesIsBeaconsCommandTree()
    {
        var root = BeaconCli.BuildRoot(new CliConsole(TextWriter.Null, TextWriter.Null, TextReader.Null));
        var tree = root.Subcommands.ToDictionary(c => c.Name, c => c.Subcommands.Select(s => s.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(tree.Keys.Order(StringComparer.Ordinal), BeaconTelemetry.Commands.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, subcommands) in tree)
        {
            Assert.Equal(subcommands, BeaconTelemetry.Commands[name].Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData(new[] { "inspect", "/home/ann/secret.pub" }, "inspect")]
    [InlineData(new[] { "telemetry", "status" }, "telemetry.status")]
    [InlineData(new[] { "ssh", "-p", "22", "host" }, "ssh")]
    [InlineData(new[] { "eyJhbGciOi.token" }, "other")]
    [InlineData(new string[0], "none")]
    public void OnlyBeaconsOwnNamesAreRecorded(string[] args, string expected) => Assert.Equal(expected, BeaconTelemetry.CommandName(args));
}
