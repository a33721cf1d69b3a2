using System.Diagnostics;

namespace Beacon.Bench.Issuance;

/// <summary>Count and percentiles (nearest rank) of a set of durations.</summary>
internal sealed record LatencyStats(int Count, TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    public static LatencyStats FromTicks(IEnumerable<long> stopwatchTicks)
    {
        var sorted = stopwatchTicks.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new LatencyStats(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        }
        return new LatencyStats(sorted.Length, Duration(Percentile(sorted, 0.50)), Duration(Percentile(sorted, 0.99)), Duration(sorted[^1]));
    }

    private static long Percentile(long[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static TimeSpan Duration(long ticks) => TimeSpan.FromSeconds(ticks / (double)Stopwatch.Frequency);
}
