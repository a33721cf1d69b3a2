using System.Globalization;

namespace Beacon.Bench.Issuance;

/// <summary>CPU time (user + system) of other processes, read from /proc: where the cores went during a run.</summary>
internal static class ProcessCpu
{
    /// <summary>Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The CPU time of one process so far; zero when it is gone.</summary>
    public static TimeSpan Of(int pid) => Read(pid) is { } stat ? stat.Cpu : TimeSpan.Zero;

    /// <summary>The CPU time of a process and its live children (PostgreSQL: the postmaster and its backends).</summary>
    public static TimeSpan OfTree(int parent)
    {
        var total = Of(parent);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat && stat.Parent == parent)
            {
                total += stat.Cpu;
            }
        }
        return total;
    }

    private static (int Parent, TimeSpan Cpu)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces; the fields after it are plain.
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = text[(close + 2)..].Split(' ');
        // After the name: state(3) ppid(4) ... utime(14) stime(15); index 0 here is field 3.
        if (fields.Length < 13
            || !int.TryParse(fields[1], CultureInfo.InvariantCulture, out var parent)
            || !long.TryParse(fields[11], CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], CultureInfo.InvariantCulture, out var system))
        {
            return null;
        }
        return (parent, TimeSpan.FromSeconds((user + system) / TicksPerSecond));
    }
}
