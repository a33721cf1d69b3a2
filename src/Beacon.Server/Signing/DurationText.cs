using System.Globalization;
using System.Text.RegularExpressions;

namespace Beacon.Server.Signing;

/// <summary>Durations as an operator types them: 30s, 15m, 8h, 7d, 2w, or sums like 1h30m.</summary>
public static partial class DurationText
{
    /// <summary>Parses a positive duration.</summary>
    /// <exception cref="FormatException">Not a duration of that form, zero, or beyond <paramref name="max"/>.</exception>
    public static TimeSpan Parse(string text, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Form().IsMatch(text))
        {
            throw new FormatException($"\"{text}\" is not a duration like 30s, 15m, 8h, 7d or 1h30m");
        }
        long seconds = 0;
        foreach (Match part in Part().Matches(text))
        {
            // Each number has at most 7 digits, so the sum cannot overflow a long.
            var count = long.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            seconds += count * part.Groups[2].Value[0] switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86400,
                _ => 7 * 86400,
            };
        }
        if (seconds == 0)
        {
            throw new FormatException($"\"{text}\" is zero; a certificate must be valid for some time");
        }
        if (seconds > max.TotalSeconds)
        {
            throw new FormatException($"\"{text}\" is longer than the maximum of {Format(max)}");
        }
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Parses like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse(string? text, TimeSpan max, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text is null || text.Length > 64)
        {
            return false;
        }
        try
        {
            value = Parse(text, max);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The shortest text for a whole number of seconds, e.g. 1h30m.</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        if (seconds == 0)
        {
            return "0s";
        }
        var text = "";
        foreach (var (unit, size) in new[] { ("d", 86400L), ("h", 3600L), ("m", 60L), ("s", 1L) })
        {
            if (seconds >= size)
            {
                text += (seconds / size).ToString(CultureInfo.InvariantCulture) + unit;
                seconds %= size;
            }
        }
        return text;
    }

    [GeneratedRegex("^([0-9]{1,7}[smhdw])+$")]
    private static partial Regex Form();

    [GeneratedRegex("([0-9]{1,7})([smhdw])")]
    private static partial Regex Part();
}
