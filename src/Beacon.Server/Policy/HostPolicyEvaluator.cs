using Beacon.Server.Identity;
using Beacon.Server.Signing;

namespace Beacon.Server.Policy;

/// <summary>The lifetime a host certificate may have, or the reason (a 403) naming the refused name.</summary>
public sealed record HostPolicyDecision(TimeSpan? Ttl, string? Refusal);

/// <summary>
/// Default deny for host names: every name must be allowed by a Hosts rule of one of the host's groups.
/// The certificate lives as long as the strictest of the rules that allowed the names.
/// </summary>
public static class HostPolicyEvaluator
{
    public static HostPolicyDecision Evaluate(PolicyDocument document, IReadOnlyList<string> groups, IReadOnlyList<string> names, TimeSpan maxTtl)
    {
        var rules = (document.Hosts ?? []).Where(r => r is not null && groups.Contains(r.Group, StringComparer.Ordinal)).ToList();
        var groupList = string.Join(", ", groups.Select(g => $"\"{g}\""));
        if (rules.Count == 0)
        {
            return new HostPolicyDecision(null, $"no Hosts rule of the policy covers group {groupList}");
        }
        TimeSpan? ttl = null;
        foreach (var name in names)
        {
            TimeSpan? best = null;
            foreach (var rule in rules.Where(r => (r.Names ?? []).Any(pattern => pattern is not null && Glob.IsMatch(pattern, name))))
            {
                // A stored policy could hold a rule that no longer parses: refuse rather than guess.
                if (!DurationText.TryParse(rule.MaxTtl, maxTtl, out var ruleTtl))
                {
                    return new HostPolicyDecision(null, $"the Hosts rule for group \"{rule.Group}\" has an invalid MaxTtl \"{rule.MaxTtl}\" (a duration up to {DurationText.Format(maxTtl)})");
                }
                best = best is null || ruleTtl > best ? ruleTtl : best;
            }
            if (best is not { } allowed)
            {
                return new HostPolicyDecision(null, $"host name \"{name}\" is not allowed for group {groupList} by any Hosts rule");
            }
            ttl = ttl is null || allowed < ttl ? allowed : ttl;
        }
        return ttl is null ? new HostPolicyDecision(null, "no host names given") : new HostPolicyDecision(ttl, null);
    }
}
