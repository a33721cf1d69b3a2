using Beacon.Server.Signing;

namespace Beacon.Server.Policy;

/// <summary>
/// Checks a policy document before it is stored, naming each bad field by its JSON path
/// (policies[0].max_ttl), so an editor can show the error beside the field. A document that passes
/// cannot make the evaluator throw.
/// </summary>
public static class PolicyValidator
{
    /// <summary>Sanity bounds, not limits anyone should reach.</summary>
    public const int MaxRules = 500;
    public const int MaxListItems = 200;
    public const int MaxText = 256;

    private static readonly HashSet<string> KnownKeyTypes = new(StringComparer.Ordinal)
    {
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
    };

    /// <summary>Field path → messages; empty when the document is valid.</summary>
    public static Dictionary<string, string[]> Validate(PolicyDocument document, IReadOnlyCollection<string> providerNames)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }
            list.Add(message);
        }
        if (document.Policies.Count > MaxRules)
        {
            Add("policies", $"at most {MaxRules} policies");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(document.Policies.Count, MaxRules); i++)
        {
            var rule = document.Policies[i];
            var at = $"policies[{i}]";
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                Add($"{at}.name", "a name is required");
            }
            else if (!names.Add(rule.Name))
            {
                Add($"{at}.name", $"\"{rule.Name}\" is used by another policy");
            }
            else if (!IsPlainText(rule.Name))
            {
                Add($"{at}.name", $"at most {MaxText} characters, no control characters");
            }
            if (rule.Subjects.Count == 0)
            {
                Add($"{at}.subjects", "at least one subject: a policy without subjects grants nothing");
            }
            for (var s = 0; s < rule.Subjects.Count; s++)
            {
                var subject = rule.Subjects[s];
                if (!providerNames.Contains(subject.Provider, StringComparer.Ordinal))
                {
                    Add($"{at}.subjects[{s}].provider", $"\"{subject.Provider}\" is not a configured identity provider ({string.Join(", ", providerNames)})");
                }
                CheckList($"{at}.subjects[{s}].users", subject.Users, Add);
                CheckList($"{at}.subjects[{s}].groups", subject.Groups, Add);
            }
            if (rule.Principals.Count == 0)
            {
                Add($"{at}.principals", "at least one principal");
            }
            CheckList($"{at}.principals", rule.Principals, Add);
            CheckList($"{at}.default_principals", rule.DefaultPrincipals, Add);
            CheckList($"{at}.host_groups", rule.HostGroups, Add);
            CheckList($"{at}.extensions", rule.Extensions, Add);
            CheckList($"{at}.default_extensions", rule.DefaultExtensions, Add);
            foreach (var extension in rule.DefaultExtensions.Where(e => !rule.Extensions.Contains(e, StringComparer.Ordinal)))
            {
                Add($"{at}.default_extensions", $"\"{extension}\" is not among the allowed extensions");
            }
            var defaultOk = TryTtl(rule.DefaultTtl, $"{at}.default_ttl", Add, out var defaultTtl);
            var maxOk = TryTtl(rule.MaxTtl, $"{at}.max_ttl", Add, out var maxTtl);
            if (defaultOk && maxOk && defaultTtl > maxTtl)
            {
                Add($"{at}.default_ttl", $"longer than max_ttl ({rule.MaxTtl})");
            }
            for (var c = 0; c < rule.SourceCidrs.Count; c++)
            {
                if (!Cidr.TryParse(rule.SourceCidrs[c], out _))
                {
                    Add($"{at}.source_cidrs[{c}]", $"\"{rule.SourceCidrs[c]}\" is not a CIDR like 10.0.0.0/8 or 2001:db8::/32");
                }
            }
            if (rule.KeyTypes.Count == 0)
            {
                Add($"{at}.key_types", "at least one key type");
            }
            foreach (var (type, bits) in rule.KeyTypes)
            {
                if (!KnownKeyTypes.Contains(type))
                {
                    Add($"{at}.key_types.{type}", $"unknown key type; one of {string.Join(", ", KnownKeyTypes)}");
                }
                else if (bits <= 0 || bits > 16384)
                {
                    Add($"{at}.key_types.{type}", "minimum size in bits: between 1 and 16384");
                }
            }
            foreach (var (name, patterns) in rule.CriticalOptions)
            {
                if (!IsToken(name) || patterns.Count == 0)
                {
                    Add($"{at}.critical_options.{name}", "an option name and at least one allowed value pattern");
                }
            }
            foreach (var (name, value) in rule.ForcedCriticalOptions)
            {
                if (!IsToken(name) || !IsPlainText(value))
                {
                    Add($"{at}.forced_critical_options.{name}", "an option name and a value without control characters");
                }
            }
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static bool TryTtl(string text, string field, Action<string, string> add, out TimeSpan value)
    {
        try
        {
            value = DurationText.Parse(text ?? "", PolicyEvaluator.MaxPolicyTtl);
            return true;
        }
        catch (FormatException e)
        {
            value = TimeSpan.Zero;
            add(field, e.Message);
            return false;
        }
    }

    private static void CheckList(string field, List<string> values, Action<string, string> add)
    {
        if (values.Count > MaxListItems)
        {
            add(field, $"at most {MaxListItems} entries");
        }
        for (var i = 0; i < Math.Min(values.Count, MaxListItems); i++)
        {
            if (!IsToken(values[i]))
            {
                add($"{field}[{i}]", $"\"{values[i]}\" must be non-empty, without spaces, commas or control characters");
            }
        }
    }

    private static bool IsToken(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= MaxText && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ',');

    private static bool IsPlainText(string? text) => text is { Length: > 0 and <= MaxText } && !text.Any(char.IsControl);
}
