using System.Runtime.InteropServices;

namespace Beacon.Bench.Issuance;

/// <summary>The machine line of the report: cores, CPU model, load, runtime.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var model = ReadFirst("/proc/cpuinfo", "model name") ?? "unknown CPU";
        return $"{Environment.ProcessorCount} CPUs ({model}), load average {LoadAverage()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    /// <summary>The 1-minute load average, or "?" when /proc/loadavg is missing.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string? ReadFirst(string path, string key)
    {
        try
        {
            return File.ReadLines(path).Where(l => l.StartsWith(key, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
