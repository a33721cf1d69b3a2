using System.Globalization;
using System.Text;

namespace Beacon.Server.Api;

/// <summary>
/// Keyset cursors for the admin lists: the last row's sort key, opaque to clients (base64url), checked
/// when read back so a forged cursor is a 400, never a 500.
/// </summary>
public static class AdminPaging
{
    public const int DefaultLimit = 50;

    /// <summary>A list page: the items and the cursor of the next page (null on the last page).</summary>
    public sealed record Paged<T>(IReadOnlyList<T> Items, string? Next);

    public static string Encode(params string[] parts) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n', parts))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The parts of a cursor, or null when it is malformed.</summary>
    public static string[]? Decode(string? cursor, int parts)
    {
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 1024)
        {
            return null;
        }
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            var split = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('\n');
            return split.Length == parts ? split : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static bool TryLong(string text, out long value) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>Takes a page from rows read with one extra: the extra row only says a next page exists.</summary>
    public static (IReadOnlyList<T> Page, T? Last) Trim<T>(IReadOnlyList<T> rows, int limit) where T : class =>
        rows.Count > limit ? (rows.Take(limit).ToList(), rows[limit - 1]) : (rows, null);

    public static int Limit(int? requested) => Math.Clamp(requested ?? DefaultLimit, 1, Storage.SqlBeaconStore.MaxPage);

    /// <summary>Every admin list filter is a short single-line value.</summary>
    public static bool IsFilter(string? value) => value is null || value.Length <= 256 && !value.Any(char.IsControl);
}
