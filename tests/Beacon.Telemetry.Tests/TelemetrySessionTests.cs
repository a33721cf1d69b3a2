using System.Text.Json.Nodes;

namespace Beacon.Telemetry.Tests;

/// <summary>
/// The sender never holds a command up: with the diagnostic server down or hanging, Flush returns (its
/// bound is the settings' timeout; the time itself is measured by beacon-bench telemetry, not asserted here).
/// </summary>
public sealed class TelemetrySessionTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private static TelemetrySettings On(string url, int timeoutMs = TelemetrySettings.DefaultTimeoutMs) =>
        new() { Enabled = true, Url = url, ClientId = TelemetrySettings.NewClientId(), TimeoutMs = timeoutMs };

    [Fact]
    public async Task NothingIsSentWhenOff()
    {
        var batches = new List<string>();
        var transports = 0;
        using var session = TelemetrySession.Start(TelemetrySettings.Off, "beacon", "1.0.0", RecordingTransport.Factory(batches, () => transports++));
        session.Record("inspect", TimeSpan.FromMilliseconds(5), TelemetryOutcome.Ok);
        await session.FlushAsync();
        Assert.False(session.IsActive);
        Assert.Equal(0, session.Pending);
        Assert.Empty(batches);
        Assert.Equal(0, transports);
    }

    [Fact]
    public async Task NothingIsSentWhenDisabledEvenWithAUrl()
    {
        using var hanging = new HangingServer();
        var settings = On(hanging.Url) with { Enabled = false };
        using (var session = TelemetrySession.Start(settings, "beacon", "1.0.0"))
        {
            session.Record("inspect", TimeSpan.FromMilliseconds(5), TelemetryOutcome.Ok);
            await session.FlushAsync();
        }
        // Off means not even a connection: the server's accept queue stays empty.
        Assert.Equal(0, hanging.Connections);
    }

    [Fact]
    public async Task RecordedEventsAreSentAsOneSchemaBatch()
    {
        var batches = new List<string>();
        var settings = On("http://diag.invalid/");
        using var session = TelemetrySession.Start(settings, "beacon-host", "2.1.0+abcdef", RecordingTransport.Factory(batches));
        session.Record("sync", TimeSpan.FromMilliseconds(1234.7), TelemetryOutcome.Ok, "ignored-for-ok", TimeSpan.FromMilliseconds(15));
        session.Record("enroll", TimeSpan.FromMilliseconds(9), TelemetryOutcome.Error, "server_unreachable");
        await session.FlushAsync();

        Assert.Single(batches);
        var batch = JsonNode.Parse(batches[0])!.AsObject();
        Assert.Equal("beacon-telemetry/1", batch["schema"]!.GetValue<string>());
        Assert.Equal(settings.ClientId, batch["client"]!["id"]!.GetValue<string>());
        Assert.Equal("beacon-host", batch["client"]!["name"]!.GetValue<string>());
        Assert.Equal("2.1.0", batch["client"]!["version"]!.GetValue<string>());
        var events = batch["events"]!.AsArray();
        Assert.Equal(2, events.Count);
        Assert.Equal("sync", events[0]!["command"]!.GetValue<string>());
        Assert.Equal(1234, events[0]!["duration_ms"]!.GetValue<long>());
        Assert.Equal("ok", events[0]!["outcome"]!.GetValue<string>());
        Assert.Null(events[0]!["error_code"]);
        Assert.Equal(15, events[0]!["server_latency_ms"]!.GetValue<long>());
        Assert.Equal("error", events[1]!["outcome"]!.GetValue<string>());
        Assert.Equal("server_unreachable", events[1]!["error_code"]!.GetValue<string>());
        Assert.Null(events[1]!["server_latency_ms"]);
    }

    [Theory]
    [InlineData("/home/alice/.ssh/id_ed25519")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig")]
    [InlineData("Inspect")]
    [InlineData("")]
    public async Task FreeTextNeverLeavesAsACommandOrErrorCode(string text)
    {
        var batches = new List<string>();
        using var session = TelemetrySession.Start(On("http://diag.invalid/"), "beacon", "1.0.0", RecordingTransport.Factory(batches));
        session.Record(text, TimeSpan.Zero, TelemetryOutcome.Error, text);
        await session.FlushAsync();
        var e = JsonNode.Parse(batches[0])!["events"]![0]!;
        Assert.Equal("other", e["command"]!.GetValue<string>());
        Assert.Equal("other", e["error_code"]!.GetValue<string>());
        Assert.DoesNotContain(text.Length > 0 ? text : "\u0000", batches[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheQueueIsBoundedAndExtraEventsAreDropped()
    {
        var batches = new List<string>();
        using var session = TelemetrySession.Start(On("http://diag.invalid/"), "beacon", "1.0.0", RecordingTransport.Factory(batches));
        for (var i = 0; i < TelemetrySchema.MaxEventsPerBatch + 50; i++)
        {
            session.Record("inspect", TimeSpan.Zero, TelemetryOutcome.Ok);
        }
        Assert.Equal(TelemetrySchema.MaxEventsPerBatch, session.Pending);
        Assert.Equal(50, session.Dropped);
        await session.FlushAsync();
        Assert.Equal(0, session.Pending);
        Assert.Equal(TelemetrySchema.MaxEventsPerBatch, JsonNode.Parse(batches[0])!["events"]!.AsArray().Count);
    }

    [Fact]
    public async Task FlushReturnsQuietlyWhenTheServerIsDown()
    {
        using var session = TelemetrySession.Start(On(ClosedPort.Url()), "beacon", "1.0.0");
        session.Record("inspect", TimeSpan.FromMilliseconds(3), TelemetryOutcome.Ok);
        await session.FlushAsync().WaitAsync(HangGuard);
        Assert.Equal(0, session.Pending);
    }

    [Fact]
    public async Task FlushReturnsQuietlyWhenTheServerHangs()
    {
        using var hanging = new HangingServer();
        using var session = TelemetrySession.Start(On(hanging.Url), "beacon", "1.0.0");
        session.Record("inspect", TimeSpan.FromMilliseconds(3), TelemetryOutcome.Ok);
        await session.FlushAsync().WaitAsync(HangGuard);
        // The send was tried: the hanging server accepted its connection and never answered.
        using var guard = new CancellationTokenSource(HangGuard);
        while (hanging.Connections == 0)
        {
            await Task.Delay(10, guard.Token);
        }
    }

    [Fact]
    public async Task FlushReturnsQuietlyWhenTheServerRefusesTheBatch()
    {
        using var refusing = new AnsweringServer("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 60\r\n\r\n");
        using var session = TelemetrySession.Start(On(refusing.Url, 2000), "beacon", "1.0.0");
        session.Record("inspect", TimeSpan.Zero, TelemetryOutcome.Ok);
        await session.FlushAsync().WaitAsync(HangGuard);
    }

    [Theory]
    [InlineData(0, TelemetryOutcome.Ok)]
    [InlineData(1, TelemetryOutcome.Error)]
    [InlineData(2, TelemetryOutcome.Error)]
    public void ExitCodesMapToOutcomesAndErrorCodes(int exitCode, TelemetryOutcome outcome)
    {
        Assert.Equal(outcome == TelemetryOutcome.Ok, TelemetryRun.ErrorCodeFor(exitCode) is null);
        Assert.Equal(exitCode switch { 0 => null, 1 => "failure", _ => "usage" }, TelemetryRun.ErrorCodeFor(exitCode));
    }
}
