using Beacon.Server.Signing;

namespace Beacon.Server.Policy;

/// <summary>Checks the policy's Hosts rules when the server starts, so a typo fails loudly instead of refusing every host later.</summary>
public static class HostRuleValidator
{
    /// <summary>Sanity bound, not policy: the length of a group name or a name pattern (a DNS name is at most 253).</summary>
    public const int MaxLength = 253;

    /// <summary>One message per problem, each naming the rule (Beacon:Policy:Hosts:N); empty when the rules are sound.</summary>
    public static IReadOnlyList<string> Validate(PolicyDocument document, TimeSpan maxTtl)
    {
        var errors = new List<string>();
        for (var i = 0; i < document.Hosts.Count; i++)
        {
            var rule = document.Hosts[i];
            var where = $"Beacon:Policy:Hosts:{i}";
            if (!IsName(rule.Group))
            {
                errors.Add($"{where}:Group \"{rule.Group}\" must be a non-empty name without spaces, commas or control characters");
            }
            if (rule.Names.Count == 0)
            {
                errors.Add($"{where}:Names is empty; list the host names (globs like *.prod.example.com) the group may enroll");
            }
            foreach (var pattern in rule.Names.Where(p => !IsName(p)))
            {
                errors.Add($"{where}:Names \"{pattern}\" must be a non-empty pattern without spaces, commas or control characters");
            }
            if (!DurationText.TryParse(rule.MaxTtl, PolicyEvaluator.MaxPolicyTtl, out var ttl))
            {
                errors.Add($"{where}:MaxTtl \"{rule.MaxTtl}\" is not a duration like 720h or 30d");
            }
            else if (ttl > maxTtl)
            {
                errors.Add($"{where}:MaxTtl {rule.MaxTtl} is above the {DurationText.Format(maxTtl)} limit for host certificates (Beacon:Hosts:MaxCertificateTtl)");
            }
        }
        return errors;
    }

    private static bool IsName(string? value) =>
        value is { Length: > 0 and <= MaxLength } && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ',');
}
