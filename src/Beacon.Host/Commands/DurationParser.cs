using System.Globalization;

namespace Beacon.Host.Commands;

/// <summary>Durations on the command line: a whole number with s, m, h or d (30m, 12h, 7d).</summary>
internal static class DurationParser
{
    /// <exception cref="FormatException">Not such a duration.</exception>
    public static TimeSpan Parse(string text)
    {
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100_000)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }
        throw new FormatException($"\"{text}\" is not a duration such as 30m, 12h or 7d");
    }
}
