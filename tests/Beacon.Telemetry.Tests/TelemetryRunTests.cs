using Beacon.Testing;

namespace Beacon.Telemetry.Tests;

/// <summary>A whole CLI run under telemetry: the command's exit code comes back unchanged whatever the diagnostic server does.</summary>
public sealed class TelemetryRunTests : IDisposable
{
    private readonly TempDirectory _dir = new("beacon-telemetry-run-");

    private string SettingsAt(string? url)
    {
        var path = _dir.File("telemetry.json");
        if (url is not null)
        {
            new TelemetrySettings { Enabled = true, Url = url, ClientId = TelemetrySettings.NewClientId() }.Save(path);
        }
        return path;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(42)]
    public void ExitCodeIsUnchangedWhenTheServerIsDown(int exitCode)
    {
        Assert.Equal(exitCode, TelemetryRun.Run(SettingsAt(ClosedPort.Url()), "beacon", "inspect", () => exitCode));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ExitCodeIsUnchangedWhenTheServerHangs(int exitCode)
    {
        using var hanging = new HangingServer();
        Assert.Equal(exitCode, TelemetryRun.Run(SettingsAt(hanging.Url), "beacon", "inspect", () => exitCode));
    }

    [Fact]
    public void ExitCodeIsUnchangedWithoutSettings()
    {
        Assert.Equal(3, TelemetryRun.Run(SettingsAt(null), "beacon", "inspect", () => 3));
    }

    [Fact]
    public void ABrokenSettingsFileNeverFailsTheCommand()
    {
        var path = _dir.Write("telemetry.json", "{ not json");
        Assert.Equal(0, TelemetryRun.Run(path, "beacon", "inspect", () => 0));
    }

    public void Dispose() => _dir.Dispose();
}
