using System.Globalization;

namespace Beacon.Cli.Certificates;

/// <summary>Times and durations as beacon prints them: ISO 8601 UTC, and "14m32s".</summary>
internal static class TimeText
{
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = -span;
        }
        var seconds = (long)span.TotalSeconds;
        return seconds switch
        {
            < 60 => $"{seconds}s",
            < 3600 => $"{seconds / 60}m{seconds % 60:00}s",
            < 86_400 => $"{seconds / 3600}h{seconds % 3600 / 60:00}m",
            _ => $"{seconds / 86_400}d{seconds % 86_400 / 3600:00}h",
        };
    }
}
