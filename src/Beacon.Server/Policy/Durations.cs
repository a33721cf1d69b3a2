using System.Globalization;

namespace Beacon.Server.Policy;

/// <summary>Durations as people write them: 30s, 15m, 8h, 7d, or a combination like 1h30m.</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32)
        {
            return false;
        }
        var total = 0L;
        var number = 0L;
        var digits = 0;
        foreach (var c in text.Trim())
        {
            if (c is >= '0' and <= '9')
            {
                number = number * 10 + (c - '0');
                if (++digits > 9)
                {
                    return false;
                }
                continue;
            }
            var unit = c switch { 's' => 1L, 'm' => 60L, 'h' => 3600L, 'd' => 86400L, _ => 0L };
            if (unit == 0 || digits == 0)
            {
                return false;
            }
            total += number * unit;
            number = 0;
            digits = 0;
        }
        if (digits != 0 || total <= 0 || total > 366L * 86400)
        {
            return false;
        }
        value = TimeSpan.FromSeconds(total);
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"\"{text}\" is not a duration like 30s, 15m, 8h or 7d");

    public static string Format(TimeSpan value)
    {
        var seconds = (long)value.TotalSeconds;
        return seconds % 86400 == 0 ? $"{seconds / 86400}d"
            : seconds % 3600 == 0 ? $"{seconds / 3600}h"
            : seconds % 60 == 0 ? $"{seconds / 60}m"
            : seconds.ToString(CultureInfo.InvariantCulture) + "s";
    }
}
