using System.Diagnostics;

namespace Beacon.Bench;

/// <summary>
/// Measures operations per second on the calling thread: a warm-up (so the JIT has tiered up), then
/// rounds of a fixed duration. Rates that are compared run interleaved, round by round, so drift in
/// clock speed or background load hits both alike.
/// </summary>
internal static class RateMeter
{
    /// <summary>The median rate of each operation, in the order given.</summary>
    public static double[] MedianRates(BenchSettings settings, params Action[] operations)
    {
        foreach (var operation in operations)
        {
            RunFor(operation, settings.WarmUp);
        }
        var rates = operations.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < settings.Rounds; round++)
        {
            for (var i = 0; i < operations.Length; i++)
            {
                rates[i].Add(RunFor(operations[i], settings.Duration));
            }
        }
        return rates.Select(Median).ToArray();
    }

    private static double RunFor(Action operation, TimeSpan duration)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var watch = Stopwatch.StartNew();
        long count = 0;
        // Check the clock every 64 operations so reading it costs nothing measurable.
        while (true)
        {
            for (var i = 0; i < 64; i++)
            {
                operation();
            }
            count += 64;
            if (watch.Elapsed >= duration)
            {
                break;
            }
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
