using System.Diagnostics;
using System.Globalization;
using Beacon.Bench.Issuance;
using Beacon.Client;
using Beacon.Host;

namespace Beacon.Bench.Host;

/// <summary>
/// DESIGN's target "a host's sync with nothing changed: one conditional request, near-zero CPU": the real
/// beacon-server, a host bootstrapped and synced once, then `beacon-host sync` in process over and over
/// (each run a new pinned TLS connection, as a timer's run is) beside a plain HTTPS GET of the bundle
/// with a new connection each, measured in the same run: wall time and CPU of this process (the host)
/// and of the server process, per operation.
/// </summary>
internal static class HostSyncBenchmark
{
    private const int OperationsPerRound = 100;

    public static int Run(BenchSettings settings, TextWriter output) => RunAsync(settings, output).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(BenchSettings settings, TextWriter output)
    {
        using var server = await ServerUnderTest.StartAsync(new Dictionary<string, string>(), CancellationToken.None);
        var root = Directory.CreateTempSubdirectory("beacon-bench-host-").FullName;
        try
        {
            var bundleKey = Path.Combine(server.DataDir, "bundle-key.asc");
            // sshd -t and the reload are not on the path being measured (nothing changes): stand-ins that succeed.
            Check(Host(root, "bootstrap", "--server", server.Url, "--fingerprint", server.Fingerprint, "--bundle-key", bundleKey,
                "--groups", "bench", "--sshd", "/bin/true", "--reload-command", "true"), "bootstrap");
            Check(Host(root, "sync"), "first sync");
            Check(Host(root, "sync"), "second sync");

            var pinned = PinnedTls.Normalize(server.Fingerprint);
            var syncs = new List<Sample>();
            var gets = new List<Sample>();
            for (var round = 0; round < settings.Rounds + 1; round++)
            {
                var sync = Measure(server, () => Check(Host(root, "sync"), "sync"));
                var get = Measure(server, () =>
                {
                    using var client = new HttpClient(PinnedTls.CreateHandler(pinned)) { BaseAddress = new Uri(server.Url) };
                    using var response = client.GetAsync("v1/trust/bundle").GetAwaiter().GetResult();
                    response.EnsureSuccessStatusCode();
                    response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                });
                if (round > 0)
                {
                    // Round 0 warms the JIT and the server's caches.
                    syncs.Add(sync);
                    gets.Add(get);
                }
            }
            var s = Sample.Median(syncs);
            var g = Sample.Median(gets);
            output.WriteLine($"beacon-bench host-sync: {settings.Rounds} rounds x {OperationsPerRound} operations each, sequential, medians; server {server.Url} (SQLite), one core shared");
            output.WriteLine("sync: beacon-host sync in process, nothing changed (the bundle answered 304, naming the installed KRL version), new TLS connection per run");
            output.WriteLine("GET:  a plain HTTPS GET of /v1/trust/bundle (200 with the body), new TLS connection per request");
            output.WriteLine();
            output.WriteLine($"{"operation",-10} {"ms/op",8} {"host CPU ms/op",15} {"server CPU ms/op",17}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"sync",-10} {s.WallMs,8:0.00} {s.HostCpuMs,15:0.00} {s.ServerCpuMs,17:0.00}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"GET",-10} {g.WallMs,8:0.00} {g.HostCpuMs,15:0.00} {g.ServerCpuMs,17:0.00}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sync / GET: time {s.WallMs / g.WallMs:0.00}x, host CPU {s.HostCpuMs / g.HostCpuMs:0.00}x, server CPU {s.ServerCpuMs / g.ServerCpuMs:0.00}x"));
            output.WriteLine($"requests per unchanged sync: 1 conditional GET (bundle, 304; its Beacon-Krl-Version header names the installed KRL)");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Sample Measure(ServerUnderTest server, Action operation)
    {
        var self = Process.GetCurrentProcess();
        self.Refresh();
        var hostCpu = self.TotalProcessorTime;
        var serverCpu = server.CpuTime();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < OperationsPerRound; i++)
        {
            operation();
        }
        var wall = watch.Elapsed;
        self.Refresh();
        return new Sample(wall.TotalMilliseconds / OperationsPerRound,
            (self.TotalProcessorTime - hostCpu).TotalMilliseconds / OperationsPerRound,
            (server.CpuTime() - serverCpu).TotalMilliseconds / OperationsPerRound);
    }

    private static (int Exit, string Output) Host(string root, params string[] args)
    {
        var output = new StringWriter();
        var exit = BeaconHostCli.Run([.. args, "--root", root], output, output);
        return (exit, output.ToString());
    }

    private static void Check((int Exit, string Output) result, string what)
    {
        if (result.Exit != 0)
        {
            throw new InvalidOperationException($"beacon-host {what} failed: {result.Output}");
        }
    }

    private sealed record Sample(double WallMs, double HostCpuMs, double ServerCpuMs)
    {
        public static Sample Median(List<Sample> samples) => new(
            samples.Select(s => s.WallMs).Order().ElementAt(samples.Count / 2),
            samples.Select(s => s.HostCpuMs).Order().ElementAt(samples.Count / 2),
            samples.Select(s => s.ServerCpuMs).Order().ElementAt(samples.Count / 2));
    }
}
