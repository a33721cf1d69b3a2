using Beacon.Server.Policy;
using Beacon.Trust.Bundle;

namespace Beacon.Server.Trust;

/// <summary>
/// The bundle's host-group map: for every policy rule that grants host groups, its literal principals
/// (a pattern or {username} names no fixed account and is left out), plus the configured
/// Beacon:Trust:HostGroupAccounts. Names that are not safe as a principal part and a file name are left out.
/// </summary>
public static class HostGroupMap
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> From(PolicyDocument policy, IReadOnlyDictionary<string, List<string>> extraAccounts)
    {
        var map = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Add(string group, IEnumerable<string> accounts)
        {
            if (!TrustBundleDocument.IsValidName(group))
            {
                return;
            }
            if (!map.TryGetValue(group, out var set))
            {
                map[group] = set = new SortedSet<string>(StringComparer.Ordinal);
            }
            set.UnionWith(accounts.Where(IsLiteral).Where(TrustBundleDocument.IsValidName));
        }
        foreach (var rule in policy.Policies)
        {
            foreach (var group in rule.HostGroups)
            {
                Add(group, rule.Principals);
            }
        }
        foreach (var (group, accounts) in extraAccounts)
        {
            Add(group, accounts);
        }
        return map.ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Value], StringComparer.Ordinal);
    }

    private static bool IsLiteral(string principal) =>
        !principal.Contains('*') && !principal.Contains('?') && !principal.Contains("{username}", StringComparison.Ordinal);
}
