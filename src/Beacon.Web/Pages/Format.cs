using System.Globalization;

namespace Beacon.Web.Pages;

/// <summary>How pages show times and durations: UTC, sortable, unambiguous.</summary>
public static class Format
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Millis(long ms) => Time(DateTimeOffset.FromUnixTimeMilliseconds(ms));

    public static string Seconds(long s) => Time(DateTimeOffset.FromUnixTimeSeconds(s));

    public static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{span.TotalDays:0.#}d" : span.TotalHours >= 1 ? $"{span.TotalHours:0.#}h" : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0}m" : $"{span.TotalSeconds:0}s";

    /// <summary>A yyyy-mm-dd date input as Unix milliseconds at 00:00 UTC, or null.</summary>
    public static long? DateToMillis(string? date, int addDays = 0) =>
        DateTime.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? new DateTimeOffset(d.AddDays(addDays), TimeSpan.Zero).ToUnixTimeMilliseconds()
            : null;
}
