using System.Diagnostics;
using System.Globalization;
using Beacon.Bench.Issuance;

namespace Beacon.Bench.Cli;

/// <summary>
/// beacon-bench cli: what the user CLI adds to starting ssh, when a valid certificate is already in the
/// agent (no network). Plain `ssh -V`, `beacon status` and `beacon ssh -V` run in turn, round after round,
/// so background load falls on all three alike; the table gives medians and the ratio to `ssh -V`.
/// </summary>
internal static class CliBenchmark
{
    public const string Usage = "usage: beacon-bench cli [--runs N]\n  cli       start-up cost of `beacon status` and `beacon ssh -V` (valid certificate in the agent, no network) as a ratio to plain `ssh -V`\n" +
        "  --runs    runs of each command (default 40)\n";

    public static int Run(int runs, TextWriter stdout, TextWriter stderr)
    {
        using var fixture = CliFixture.CreateAsync().GetAwaiter().GetResult();
        var beacon = BeaconCommand();
        var ssh = Which("ssh") ?? throw new InvalidOperationException("ssh not found on PATH");
        var commands = new (string Name, string Program, string[] Args)[]
        {
            ("ssh -V", ssh, ["-V"]),
            // The floor: the .NET runtime starting beacon and building its command line, doing nothing else.
            ("beacon --version", beacon.Program, [.. beacon.Prefix, "--version"]),
            ("beacon status", beacon.Program, [.. beacon.Prefix, "status"]),
            ("beacon ssh -V", beacon.Program, [.. beacon.Prefix, "ssh", "-V"]),
        };
        // Warm-up: the first start of each pays for the disk cache.
        foreach (var command in commands)
        {
            Time(command.Program, command.Args, fixture.Environment, stderr, command.Name);
        }
        var samples = commands.ToDictionary(c => c.Name, _ => new List<double>());
        for (var round = 0; round < runs; round++)
        {
            foreach (var command in commands)
            {
                samples[command.Name].Add(Time(command.Program, command.Args, fixture.Environment, stderr, command.Name));
            }
        }
        var reference = Median(samples["ssh -V"]);
        stdout.WriteLine($"beacon-bench cli: {runs} runs of each, interleaved; wall time from process start to exit; {MachineInfo.Describe()}");
        stdout.WriteLine($"beacon: {string.Join(' ', beacon.Prefix.Prepend(beacon.Program))}; the config names a closed port, so any network use would fail the run");
        stdout.WriteLine();
        stdout.WriteLine($"{"command",-18} {"median ms",10} {"p90 ms",8} {"ratio",7}");
        foreach (var (name, values) in samples)
        {
            var median = Median(values);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-18} {median,10:0.0} {Percentile(values, 0.9),8:0.0} {median / reference,7:0.00}"));
        }
        stdout.WriteLine();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"beacon ssh adds {Median(samples["beacon ssh -V"]) - reference:0.0} ms to starting ssh (median), of which {Median(samples["beacon --version"]):0.0} ms is starting beacon at all; beacon status takes {Median(samples["beacon status"]):0.0} ms"));
        return 0;
    }

    private static double Time(string program, string[] args, IReadOnlyDictionary<string, string> environment, TextWriter stderr, string name)
    {
        var started = Stopwatch.GetTimestamp();
        var result = ChildProcess.RunAsync(program, args, environment, TimeSpan.FromSeconds(60), CancellationToken.None).GetAwaiter().GetResult();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (result.ExitCode != 0)
        {
            stderr.WriteLine($"beacon-bench: {name} exited {result.ExitCode}: {result.Output}");
            throw new InvalidOperationException($"{name} failed");
        }
        return elapsed;
    }

    /// <summary>The beacon apphost beside this program, else `dotnet beacon.dll`.</summary>
    private static (string Program, string[] Prefix) BeaconCommand()
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "beacon");
        return File.Exists(apphost) ? (apphost, []) : ("dotnet", [Path.Combine(AppContext.BaseDirectory, "beacon.dll")]);
    }

    private static string? Which(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }
}
