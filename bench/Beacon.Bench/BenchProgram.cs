using System.Globalization;
using Beacon.Bench.Issuance;

namespace Beacon.Bench;

/// <summary>beacon-bench SUITE [options]: runs one benchmark suite (signing, issuance) and prints its table.</summary>
internal static class BenchProgram
{
    private const string Usage = "usage: beacon-bench signing|krl|host-sync [--seconds N] [--rounds N]\n" +
        "  signing   raw signature rate vs certificate build+sign rate for Ed25519, ECDSA P-256 and RSA-3072 CAs\n" +
        "  --seconds length of each measurement (default 2)\n" +
        "  --rounds  measurements per rate; the median is reported (default 5)\n" +
        IssuanceSettings.Usage + "\n" +
        Telemetry.TelemetryBenchSettings.Usage + "\n" +
        "usage: beacon-bench web [--certificates N] [--requests N]\n" +
        "  web       the admin certificates page (first page) of beacon-web with N certificates stored (default 100000),\n" +
        "            time to first byte and total, beside a trivial page of the same app; --requests per measurement (default 200)\n" +
        Host.HostBenchmarks.Usage +
        Cli.CliBenchmark.Usage;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] == "issuance")
        {
            var (issuance, error) = IssuanceSettings.Parse(args[1..]);
            if (issuance is null)
            {
                stderr.WriteLine($"beacon-bench: {error}\n{Usage}");
                return 2;
            }
            return IssuanceBenchmark.Run(issuance, stdout, stderr);
        }
        if (args[0] == "cli")
        {
            var runs = 40;
            if (args.Length == 3 && args[1] == "--runs" && int.TryParse(args[2], CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                runs = parsed;
            }
            else if (args.Length != 1)
            {
                stderr.WriteLine($"beacon-bench: cli takes only --runs N\n{Usage}");
                return 2;
            }
            return Cli.CliBenchmark.Run(runs, stdout, stderr);
        }
        if (args[0] == "telemetry")
        {
            var (telemetry, error) = Telemetry.TelemetryBenchSettings.Parse(args[1..]);
            if (telemetry is null)
            {
                stderr.WriteLine($"beacon-bench: {error}\n{Usage}");
                return 2;
            }
            return Telemetry.TelemetryBenchmark.Run(telemetry, stdout, stderr);
        }
        if (args[0] == "web")
        {
            return Web.WebBenchmark.Run(args[1..], stdout, stderr);
        }
        var settings = new BenchSettings();
        for (var i = 1; i < args.Length; i++)
        {
            if (i + 1 < args.Length && args[i] is "--seconds" && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                settings = settings with { Duration = TimeSpan.FromSeconds(seconds) };
                i++;
            }
            else if (i + 1 < args.Length && args[i] is "--rounds" && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var rounds) && rounds > 0)
            {
                settings = settings with { Rounds = rounds };
                i++;
            }
            else
            {
                stderr.WriteLine($"beacon-bench: unexpected argument \"{args[i]}\"\n{Usage}");
                return 2;
            }
        }
        switch (args[0])
        {
            case "signing":
                return SigningBenchmark.Run(settings, stdout);
            case "krl" or "host-sync":
                return Host.HostBenchmarks.Run(args[0], settings, stdout);
            default:
                stderr.WriteLine($"beacon-bench: unknown suite \"{args[0]}\"\n{Usage}");
                return 2;
        }
    }
}

/// <summary>How long each measurement runs and how many rounds give the median.</summary>
internal sealed record BenchSettings
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(2);

    public int Rounds { get; init; } = 5;

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(1);
}
