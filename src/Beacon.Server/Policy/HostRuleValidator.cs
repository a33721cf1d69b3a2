using Beacon.Server.Signing;

namespace Beacon.Server.Policy;

/// <summary>
/// Checks the policy's Hosts rules: at start (a broken configured rule stops the server with a message
/// naming Beacon:Policy:Hosts:N) and when an admin saves a policy (errors by JSON path, hosts[N].max_ttl).
/// </summary>
public static class HostRuleValidator
{
    /// <summary>Sanity bound, not policy: the length of a group name or a name pattern (a DNS name is at most 253).</summary>
    public const int MaxLength = 253;

    /// <summary>One problem: the rule's index, the field's configuration name and what is wrong.</summary>
    public sealed record Problem(int Rule, string Field, string Message)
    {
        public string ConfigurationPath => $"Beacon:Policy:Hosts:{Rule}:{Field}";

        public string JsonPath => $"hosts[{Rule}].{System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(Field)}";
    }

    /// <summary>One message per problem, each naming the rule (Beacon:Policy:Hosts:N:FIELD); empty when the rules are sound.</summary>
    public static IReadOnlyList<string> Validate(PolicyDocument document, TimeSpan maxTtl) =>
        Problems(document, maxTtl).Select(p => $"{p.ConfigurationPath} {p.Message}").ToList();

    /// <summary>JSON path → messages, as the policy editor shows them beside the field; empty when the rules are sound.</summary>
    public static Dictionary<string, string[]> ValidateFields(PolicyDocument document, TimeSpan maxTtl) =>
        Problems(document, maxTtl).GroupBy(p => p.JsonPath).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal);

    public static IEnumerable<Problem> Problems(PolicyDocument document, TimeSpan maxTtl)
    {
        // A JSON document may say "hosts": null or "names": null; that is no rule, or a rule with no names.
        var rules = document.Hosts ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule is null)
            {
                yield return new Problem(i, "Group", "the rule is null");
                continue;
            }
            var names = rule.Names ?? [];
            if (!IsName(rule.Group))
            {
                yield return new Problem(i, "Group", $"\"{rule.Group}\" must be a non-empty name without spaces, commas or control characters");
            }
            if (names.Count == 0)
            {
                yield return new Problem(i, "Names", "is empty; list the host names (globs like *.prod.example.com) the group may enroll");
            }
            foreach (var pattern in names.Where(p => !IsName(p)))
            {
                yield return new Problem(i, "Names", $"\"{pattern}\" must be a non-empty pattern without spaces, commas or control characters");
            }
            if (!DurationText.TryParse(rule.MaxTtl, PolicyEvaluator.MaxPolicyTtl, out var ttl))
            {
                yield return new Problem(i, "MaxTtl", $"\"{rule.MaxTtl}\" is not a duration like 720h or 30d");
            }
            else if (ttl > maxTtl)
            {
                yield return new Problem(i, "MaxTtl", $"{rule.MaxTtl} is above the {DurationText.Format(maxTtl)} limit for host certificates (Beacon:Hosts:MaxCertificateTtl)");
            }
        }
    }

    private static bool IsName(string? value) =>
        value is { Length: > 0 and <= MaxLength } && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ',');
}
