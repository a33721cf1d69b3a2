using System.Diagnostics;

namespace Beacon.Bench;

/// <summary>
/// Measures operations per second on the calling thread. After a warm-up (so the JIT has tiered up),
/// each round runs the operations in alternating short slices until each has run for the round's
/// duration, so a change in clock speed or in the load of other processes hits all of them alike;
/// a ratio between them is computed per round, where both saw the same conditions.
/// </summary>
internal static class RateMeter
{
    /// <summary>Alternation period: short enough that background load is shared fairly, long enough that switching costs nothing.</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(20);

    /// <summary>Per round, the rate of each operation, in the order given.</summary>
    public static IReadOnlyList<double[]> Rounds(BenchSettings settings, params Action[] operations)
    {
        foreach (var operation in operations)
        {
            RunFor(operation, settings.WarmUp);
        }
        var rounds = new List<double[]>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var counts = new long[operations.Length];
            var elapsed = new TimeSpan[operations.Length];
            while (elapsed.Min() < settings.Duration)
            {
                for (var i = 0; i < operations.Length; i++)
                {
                    var watch = Stopwatch.StartNew();
                    counts[i] += RunUntil(operations[i], watch, Slice);
                    elapsed[i] += watch.Elapsed;
                }
            }
            rounds.Add(counts.Select((count, i) => count / elapsed[i].TotalSeconds).ToArray());
        }
        return rounds;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void RunFor(Action operation, TimeSpan duration) => RunUntil(operation, Stopwatch.StartNew(), duration);

    private static long RunUntil(Action operation, Stopwatch watch, TimeSpan duration)
    {
        long count = 0;
        do
        {
            operation();
            count++;
        }
        while (watch.Elapsed < duration);
        return count;
    }
}
