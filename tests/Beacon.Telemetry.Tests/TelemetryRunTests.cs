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

    [Fact]
    public void ACommandThatTouchesNoNetworkOnlySpoolsItsEventAndOpensNoConnection()
    {
        using var hanging = new HangingServer();
        var settings = SettingsAt(hanging.Url);
        Assert.Equal(1, TelemetryRun.Run(settings, "beacon", () => "status", () => 1, sendsNow: false));
        Assert.Equal(0, hanging.Connections);
        var spooled = Assert.Single(TelemetrySpool.Take(TelemetrySpool.PathFor(settings)));
        Assert.Equal(("status", TelemetryOutcome.Error, "failure"), (spooled.Command, spooled.Outcome, spooled.ErrorCode));
        Assert.Empty(TelemetrySpool.Take(TelemetrySpool.PathFor(settings)));
    }

    [Fact]
    public void NothingIsSpooledWhenTelemetryIsOff()
    {
        var settings = SettingsAt(null);
        Assert.Equal(0, TelemetryRun.Run(settings, "beacon", () => "status", () => 0, sendsNow: false));
        Assert.False(File.Exists(TelemetrySpool.PathFor(settings)));
    }

    [Fact]
    public void TheSpoolIsPrivateBoundedAndSkipsLinesItCannotRead()
    {
        var spool = TelemetrySpool.PathFor(SettingsAt(ClosedPort.Url()));
        for (var i = 0; i < TelemetrySchema.MaxEventsPerBatch * 20; i++)
        {
            TelemetrySpool.Append(spool, TelemetrySession.EventOf("status", TimeSpan.FromMilliseconds(5), TelemetryOutcome.Ok, null, null, DateTimeOffset.UtcNow));
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(spool));
        File.AppendAllText(spool, "{ not json\n{\"command\":\"Bearer abc.def\",\"duration_ms\":1,\"outcome\":\"ok\",\"at\":\"2026-01-01T00:00:00Z\"}\n");
        var taken = TelemetrySpool.Take(spool);
        Assert.InRange(taken.Count, 1, TelemetrySchema.MaxEventsPerBatch);
        Assert.All(taken, e => Assert.Equal("status", e.Command));
    }

    public void Dispose() => _dir.Dispose();
}
