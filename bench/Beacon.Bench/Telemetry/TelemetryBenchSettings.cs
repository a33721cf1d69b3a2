using System.Globalization;

namespace Beacon.Bench.Telemetry;

/// <summary>What `beacon-bench telemetry` runs: rounds of one `beacon inspect` per scenario.</summary>
internal sealed record TelemetryBenchSettings
{
    public const string Usage =
        "usage: beacon-bench telemetry [--rounds N] [--warmup N] [--command inspect|status]\n" +
        "  telemetry     wall time of the real `beacon inspect FILE` process with telemetry off, and on with the diagnostic\n" +
        "                server up, down (closed port) and hanging (accepts, never answers), interleaved in one run; ratios to off\n" +
        "  --rounds      measured rounds, one run of each scenario per round (default 20)\n" +
        "  --warmup      rounds run first and not measured (default 2)\n" +
        "  --command     the beacon command timed: inspect FILE (default) or status (local files and agent, exit 1 without a certificate)";

    public int Rounds { get; init; } = 20;

    public int WarmUp { get; init; } = 2;

    /// <summary>"inspect" or "status".</summary>
    public string Command { get; init; } = "inspect";

    public static (TelemetryBenchSettings? Settings, string? Error) Parse(IReadOnlyList<string> args)
    {
        var settings = new TelemetryBenchSettings();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            if (args[i] == "--rounds" && int.TryParse(value, CultureInfo.InvariantCulture, out var rounds) && rounds > 0)
            {
                settings = settings with { Rounds = rounds };
                i++;
            }
            else if (args[i] == "--warmup" && int.TryParse(value, CultureInfo.InvariantCulture, out var warmUp) && warmUp >= 0)
            {
                settings = settings with { WarmUp = warmUp };
                i++;
            }
            else if (args[i] == "--command" && value is "inspect" or "status")
            {
                settings = settings with { Command = value };
                i++;
            }
            else
            {
                return (null, $"unexpected argument \"{args[i]}\"");
            }
        }
        return (settings, null);
    }
}
