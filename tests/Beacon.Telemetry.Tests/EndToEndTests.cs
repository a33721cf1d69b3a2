using System.Diagnostics;
using Beacon.Diag.Hosting;
using Beacon.Diag.Storage;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Telemetry.Tests;

/// <summary>
/// The sender against the real beacon-diag over HTTP on 127.0.0.1, and the real beacon program with
/// telemetry on: what it sends is accepted by the server's strict validation, and its exit code and
/// output do not change when the server is down or hangs.
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("beacon-telemetry-e2e-");
    private WebApplication? _diag;
    private string _diagUrl = "";

    public async Task InitializeAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            _diagUrl = $"http://127.0.0.1:{FreePort.Next()}";
            _diag = DiagHost.Build(_dir.File("diag"), _diagUrl);
            try
            {
                await _diag.StartAsync();
                return;
            }
            catch (IOException) when (attempt < 3)
            {
                await _diag.DisposeAsync();
            }
        }
    }

    private IDiagStore Store => _diag!.Services.GetRequiredService<IDiagStore>();

    private static TelemetrySettings On(string url) =>
        // The longest bound the settings allow: a loaded test machine must not turn this test into a drop.
        new() { Enabled = true, Url = url, ClientId = TelemetrySettings.NewClientId(), TimeoutMs = TelemetrySettings.MaxTimeoutMs };

    [Fact]
    public async Task SessionBatchesAreAcceptedByTheDiagnosticServer()
    {
        using var session = TelemetrySession.Start(On(_diagUrl), "beacon", "1.0.0");
        session.Record("inspect", TimeSpan.FromMilliseconds(12), TelemetryOutcome.Ok, serverLatency: TimeSpan.FromMilliseconds(4));
        session.Record("telemetry.status", TimeSpan.FromMilliseconds(3), TelemetryOutcome.Error, "usage");
        session.Record("/not/a/command", TimeSpan.FromMilliseconds(3), TelemetryOutcome.Ok);
        await session.FlushAsync();

        var stats = await Store.CommandStatsAsync(DateTimeOffset.UnixEpoch, null, CancellationToken.None);
        Assert.Equal([("inspect", 1L, 0L), ("other", 1L, 0L), ("telemetry.status", 1L, 1L)], stats.Select(s => (s.Command, s.Total, s.Errors)));
    }

    [Fact]
    public async Task BeaconReportsItsCommandsToTheDiagnosticServer()
    {
        var home = HomeWith(On(_diagUrl));
        var key = _dir.Write("id.pub", Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString("alice@example"));

        var ok = RunBeacon(home, "inspect", key);
        var failed = RunBeacon(home, "inspect", _dir.File("missing.pub"));
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal(1, failed.ExitCode);
        // inspect touches no network: its events wait in the spool for the next command that does.
        Assert.Empty(await Store.CommandStatsAsync(DateTimeOffset.UnixEpoch, null, CancellationToken.None));

        var init = RunBeacon(home, "init", "--server", ClosedPort.Url(), "--fingerprint", new string('a', 64));
        Assert.Equal(1, init.ExitCode);
        var stats = (await Store.CommandStatsAsync(DateTimeOffset.UnixEpoch, null, CancellationToken.None)).ToDictionary(s => s.Command, s => (s.Total, s.Errors));
        Assert.Equal((2L, 1L), stats["inspect"]);
        Assert.Equal((1L, 1L), stats["init"]);
        Assert.Equal(2, stats.Count);
    }

    [Fact]
    public void BeaconsExitCodeAndOutputAreTheSameWithTheServerOffDownOrHanging()
    {
        using var hanging = new HangingServer();
        var key = _dir.Write("id.pub", Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString("alice@example"));
        var homes = new[]
        {
            HomeWith(null),
            HomeWith(On(ClosedPort.Url()) with { TimeoutMs = TelemetrySettings.DefaultTimeoutMs }),
            HomeWith(On(hanging.Url) with { TimeoutMs = TelemetrySettings.DefaultTimeoutMs }),
        };
        foreach (var args in new[] { new[] { "inspect", key }, ["inspect", _dir.File("missing.pub")], ["inspect", "--no-such-option"] })
        {
            var results = homes.Select(home => RunBeacon(home, args)).ToList();
            Assert.All(results, r => Assert.Equal(results[0], r));
        }
        Assert.True(hanging.Connections == 0, "a command that touches no network opened a connection for telemetry");
        // A command that talks to a server anyway sends, and is bounded by the settings' timeout.
        var inits = homes.Select(home => RunBeacon(home, "init", "--server", ClosedPort.Url(), "--fingerprint", new string('a', 64))).ToList();
        Assert.All(inits, r => Assert.Equal(inits[0].ExitCode, r.ExitCode));
        Assert.True(hanging.Connections > 0, "beacon never tried the hanging server");
    }

    private string HomeWith(TelemetrySettings? settings)
    {
        var home = Path.Combine(_dir.Path, "home-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(home);
        settings?.Save(Path.Combine(home, ".config", "beacon", "telemetry.json"));
        return home;
    }

    private static (int ExitCode, string Output, string Error) RunBeacon(string home, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "beacon.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["HOME"] = home;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"beacon {string.Join(' ', args)} did not finish");
        }
        return (process.ExitCode, output.Result, error.Result.Replace(home, "HOME", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        if (_diag is not null)
        {
            await _diag.StopAsync();
            await _diag.DisposeAsync();
        }
        _dir.Dispose();
    }
}
