using System.Globalization;

namespace Beacon.Bench.Issuance;

/// <summary>What `beacon-bench issuance` runs: which databases, how many clients, how long.</summary>
internal sealed record IssuanceSettings
{
    public const string Usage =
        "usage: beacon-bench issuance [--seconds N] [--warmup N] [--concurrency 16,64] [--databases sqlite,postgres] [--no-open-loop]\n" +
        "  issuance      certificates/s and latency through the real beacon-server over pinned HTTPS (jwt provider, durable audit),\n" +
        "                beside the in-process Ed25519 certificate signing rate measured in the same run\n" +
        "  --seconds     length of each measured run (default 10)\n" +
        "  --warmup      warm-up before each run, not measured (default 3)\n" +
        "  --concurrency closed-loop client counts, comma-separated (default 16,64)\n" +
        "  --databases   sqlite, postgres or both (default sqlite,postgres)\n" +
        "  --no-open-loop skip the fixed-rate run at half the peak rate";

    /// <summary>Upper bound on the tokens minted for one run: keeps memory and minting time bounded whatever the rate.</summary>
    public const int MaxTokensPerRun = 120_000;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);

    public IReadOnlyList<int> Concurrency { get; init; } = [16, 64];

    public IReadOnlyList<string> Databases { get; init; } = ["sqlite", "postgres"];

    public bool OpenLoop { get; init; } = true;

    /// <summary>The whole suite stops (and cleans up) after this, whatever happens.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Parses the arguments after the suite name; null and a message on a usage error.</summary>
    public static (IssuanceSettings? Settings, string? Error) Parse(IReadOnlyList<string> args)
    {
        var settings = new IssuanceSettings();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--seconds" when TryPositiveSeconds(value, out var seconds):
                    settings = settings with { Duration = seconds };
                    i++;
                    break;
                case "--warmup" when TryPositiveSeconds(value, out var warmUp):
                    settings = settings with { WarmUp = warmUp };
                    i++;
                    break;
                case "--concurrency" when TryCounts(value, out var counts):
                    settings = settings with { Concurrency = counts };
                    i++;
                    break;
                case "--databases" when TryDatabases(value, out var databases):
                    settings = settings with { Databases = databases };
                    i++;
                    break;
                case "--no-open-loop":
                    settings = settings with { OpenLoop = false };
                    break;
                default:
                    return (null, $"unexpected argument \"{args[i]}\"");
            }
        }
        return (settings, null);
    }

    private static bool TryPositiveSeconds(string? text, out TimeSpan value)
    {
        value = default;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is <= 0 or > 600)
        {
            return false;
        }
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static bool TryCounts(string? text, out IReadOnlyList<int> counts)
    {
        var parsed = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1024 ? n : -1)
            .ToList();
        counts = parsed;
        return parsed.Count > 0 && parsed.All(n => n > 0);
    }

    private static bool TryDatabases(string? text, out IReadOnlyList<string> databases)
    {
        var parsed = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        databases = parsed;
        return parsed.Count > 0 && parsed.All(d => d is "sqlite" or "postgres");
    }
}
