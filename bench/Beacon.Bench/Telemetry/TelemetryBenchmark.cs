using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Beacon.Bench.Issuance;
using Beacon.Diag.Hosting;
using Beacon.Ssh.Keys;
using Beacon.Telemetry;

namespace Beacon.Bench.Telemetry;

/// <summary>
/// What opt-in telemetry costs a user: the wall time of the real `beacon inspect FILE` (or `beacon status`)
/// process (start to exit) with telemetry off, and on with the diagnostic server up, down and hanging. Scenarios are
/// interleaved round by round so machine noise falls on all of them alike; the report is medians and
/// ratios to "off" measured in the same run.
/// </summary>
internal static class TelemetryBenchmark
{
    private sealed record Scenario(string Name, string Home);

    public static int Run(TelemetryBenchSettings settings, TextWriter stdout, TextWriter stderr) =>
        RunAsync(settings, stdout, stderr).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(TelemetryBenchSettings settings, TextWriter stdout, TextWriter stderr)
    {
        var beacon = Path.Combine(AppContext.BaseDirectory, "beacon.dll");
        var root = Directory.CreateTempSubdirectory("beacon-bench-telemetry-").FullName;
        using var hanging = new TcpListener(IPAddress.Loopback, 0);
        var accepted = new List<Socket>();
        Microsoft.AspNetCore.Builder.WebApplication? diag = null;
        try
        {
            var key = Path.Combine(root, "id.pub");
            await File.WriteAllTextAsync(key, Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString("bench@example"));

            hanging.Start();
            var hangingUrl = $"http://127.0.0.1:{((IPEndPoint)hanging.LocalEndpoint).Port}/";
            _ = AcceptForeverAsync(hanging, accepted);

            var diagUrl = $"http://127.0.0.1:{FreePort()}";
            diag = DiagHost.Build(Path.Combine(root, "diag"), diagUrl, ["--Logging:LogLevel:Default=Warning"]);
            await diag.StartAsync();

            var scenarios = new[]
            {
                new Scenario("off", Home(root, "off", null)),
                new Scenario("on, server up", Home(root, "up", diagUrl)),
                new Scenario("on, server down", Home(root, "down", $"http://127.0.0.1:{FreePort()}/")),
                new Scenario("on, server hanging", Home(root, "hanging", hangingUrl)),
            };
            var times = scenarios.ToDictionary(s => s.Name, _ => new List<double>());
            var cpu = scenarios.ToDictionary(s => s.Name, _ => new List<double>());
            string[] command = settings.Command == "status" ? ["status"] : ["inspect", key];
            // status exits 1 in a HOME without a certificate: that is its answer, the same in every scenario.
            var expectedExit = settings.Command == "status" ? 1 : 0;
            await stdout.WriteLineAsync($"beacon-bench telemetry: `beacon {settings.Command}`, {settings.Rounds} rounds (+{settings.WarmUp} warm-up), send timeout {TelemetrySettings.DefaultTimeoutMs} ms");
            await stdout.WriteLineAsync($"machine: {MachineInfo.Describe()}");
            for (var round = 0; round < settings.WarmUp + settings.Rounds; round++)
            {
                // Rotate the order each round so no scenario always runs first (colder) or last.
                for (var i = 0; i < scenarios.Length; i++)
                {
                    var scenario = scenarios[(i + round) % scenarios.Length];
                    var (elapsed, cpuMs) = await TimeBeaconAsync(beacon, scenario.Home, command, expectedExit);
                    if (round >= settings.WarmUp)
                    {
                        times[scenario.Name].Add(elapsed);
                        cpu[scenario.Name].Add(cpuMs);
                    }
                }
            }
            var off = Median(times["off"]);
            var offCpu = Median(cpu["off"]);
            await stdout.WriteLineAsync();
            await stdout.WriteLineAsync("| telemetry | wall median ms | wall p90 ms | wall max ms | wall median / off | CPU median ms | CPU median / off |");
            await stdout.WriteLineAsync("|---|---|---|---|---|---|---|");
            foreach (var scenario in scenarios)
            {
                var list = times[scenario.Name];
                var cpuList = cpu[scenario.Name];
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"| {scenario.Name} | {Median(list):0.0} | {Percentile(list, 0.9):0.0} | {list.Max():0.0} | {Median(list) / off:0.00} | {Median(cpuList):0.0} | {Median(cpuList) / offCpu:0.00} |"));
            }
            await stdout.WriteLineAsync($"load average after: {MachineInfo.LoadAverage()}");
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException)
        {
            await stderr.WriteLineAsync($"beacon-bench: {e.Message}");
            return 1;
        }
        finally
        {
            if (diag is not null)
            {
                await diag.StopAsync();
                await diag.DisposeAsync();
            }
            hanging.Stop();
            lock (accepted)
            {
                accepted.ForEach(s => s.Dispose());
            }
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A HOME whose ~/.config/beacon/telemetry.json sends to the URL (no file: off).</summary>
    private static string Home(string root, string name, string? url)
    {
        var home = Path.Combine(root, "home-" + name);
        Directory.CreateDirectory(home);
        if (url is not null)
        {
            new TelemetrySettings { Enabled = true, Url = url, ClientId = TelemetrySettings.NewClientId() }
                .Save(Path.Combine(home, ".config", "beacon", "telemetry.json"));
        }
        return home;
    }

    /// <summary>Wall time from start to exit, and the child's CPU time, in milliseconds.</summary>
    private static async Task<(double Wall, double Cpu)> TimeBeaconAsync(string beacon, string home, string[] command, int expectedExit)
    {
        var cpuBefore = ChildCpu.Total();
        var started = Stopwatch.GetTimestamp();
        var result = await ChildProcess.RunAsync("dotnet", [beacon, .. command],
            new Dictionary<string, string> { ["HOME"] = home }, TimeSpan.FromMinutes(1), CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (result.ExitCode != expectedExit)
        {
            throw new InvalidOperationException($"beacon {string.Join(' ', command)} exited {result.ExitCode}: {result.Output}");
        }
        return (elapsed, (ChildCpu.Total() - cpuBefore).TotalMilliseconds);
    }

    private static async Task AcceptForeverAsync(TcpListener listener, List<Socket> accepted)
    {
        while (true)
        {
            try
            {
                var socket = await listener.AcceptSocketAsync();
                lock (accepted)
                {
                    accepted.Add(socket);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
