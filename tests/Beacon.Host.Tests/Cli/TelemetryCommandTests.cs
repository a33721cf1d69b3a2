using Beacon.Host.Commands.Telemetry;
using Beacon.Host.Tests.Support;

namespace Beacon.Host.Tests.Cli;

public sealed class TelemetryCommandTests
{
    [Fact]
    public void TelemetryIsOffUntilTurnedOnAndItsSettingsLiveUnderTheRootMode0600()
    {
        using var root = new HostRoot();
        var status = root.Run("telemetry", "status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("telemetry: off", status.StandardOutput, StringComparison.Ordinal);

        Assert.Equal(0, root.Run("telemetry", "on", "--url", "http://127.0.0.1:9").ExitCode);
        var file = root.Paths.TelemetrySettingsFile;
        Assert.True(File.Exists(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Contains("telemetry: on", root.Run("telemetry", "status").StandardOutput, StringComparison.Ordinal);

        Assert.Equal(0, root.Run("telemetry", "off").ExitCode);
        Assert.Contains("telemetry: off", root.Run("telemetry", "status").StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadUrlIsOneLineAndExitOne()
    {
        using var root = new HostRoot();
        var result = root.Run("telemetry", "on", "--url", "ftp://example");
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.StandardError.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData(new[] { "sync", "--root", "/secret/path" }, "sync")]
    [InlineData(new[] { "enroll", "--token", "beacon-host-abc" }, "enroll")]
    [InlineData(new[] { "telemetry", "status" }, "telemetry.status")]
    [InlineData(new[] { "beacon-host-token-typed-by-mistake" }, "other")]
    [InlineData(new string[0], "none")]
    public void OnlyCommandNamesAreRecordedNeverArgumentValues(string[] args, string expected) =>
        Assert.Equal(expected, HostTelemetry.CommandName(args));

    [Theory]
    [InlineData(new[] { "sync", "--root", "/r" }, "/r")]
    [InlineData(new[] { "sync", "--root=/r2" }, "/r2")]
    [InlineData(new[] { "sync" }, "/")]
    public void TheSettingsFollowTheRoot(string[] args, string root) => Assert.Equal(root, HostTelemetry.RootOf(args));
}
