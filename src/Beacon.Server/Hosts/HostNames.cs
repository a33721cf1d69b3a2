namespace Beacon.Server.Hosts;

/// <summary>What a host name (a host certificate principal) and a host group name may look like.</summary>
public static class HostNames
{
    /// <summary>Sanity bounds, not in any spec: names per host and keys per host.</summary>
    public const int MaxNames = 32;

    public const int MaxGroups = 16;

    /// <summary>A DNS name is at most 253 characters.</summary>
    public const int MaxNameLength = 253;

    /// <summary>Returns null when the names may go into a host certificate, or the reason they may not (a 400).</summary>
    public static string? Check(IReadOnlyList<string>? names)
    {
        // An empty principal list means "any host" to ssh: never issue one.
        if (names is null || names.Count == 0)
        {
            return "names: give at least one host name";
        }
        if (names.Count > MaxNames)
        {
            return $"names: more than {MaxNames}";
        }
        foreach (var name in names)
        {
            if (name is null || name.Length is 0 or > MaxNameLength)
            {
                return $"names: a host name is 1 to {MaxNameLength} characters";
            }
            // ssh compares the lowercased host name it connects to; a wildcard or odd character here is a mistake or an attack.
            if (!name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_' or ':'))
            {
                return $"names: \"{Printable(name)}\" may hold only lowercase letters, digits, '.', '-', '_' and ':' (ssh matches host names in lowercase)";
            }
        }
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            return "names: a host name is listed twice";
        }
        return null;
    }

    /// <summary>Returns null when the group names are sound, or the reason they are not.</summary>
    public static string? CheckGroups(IReadOnlyList<string>? groups)
    {
        if (groups is null || groups.Count == 0)
        {
            return "groups: give at least one host group";
        }
        if (groups.Count > MaxGroups)
        {
            return $"groups: more than {MaxGroups}";
        }
        if (groups.FirstOrDefault(g => g is null || g.Length is 0 or > 128 || g.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ',')) is { } bad)
        {
            return $"groups: \"{Printable(bad ?? "")}\" is not a group name (1 to 128 characters, no spaces, commas or control characters)";
        }
        if (groups.Distinct(StringComparer.Ordinal).Count() != groups.Count)
        {
            return "groups: a group is listed twice";
        }
        return null;
    }

    internal static string Printable(string value)
    {
        var printable = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return printable.Length > 64 ? printable[..64] + "…" : printable;
    }
}
