using System.Globalization;
using Beacon.Web.Server;

namespace Beacon.Web.Pages.Admin;

/// <summary>
/// One policy rule as form fields: lists are comma-separated, subjects one per line
/// ("provider=oidc users=alice,bob groups=ops claim.repository=org/*"), maps "name=value" pairs.
/// </summary>
public sealed class RuleForm
{
    public string? Name { get; set; }
    public string? Subjects { get; set; }
    public string? Principals { get; set; }
    public string? DefaultPrincipals { get; set; }
    public string? HostGroups { get; set; }
    public bool AllowUngrouped { get; set; } = true;
    public string? DefaultTtl { get; set; }
    public string? MaxTtl { get; set; }
    public string? Extensions { get; set; }
    public string? DefaultExtensions { get; set; }
    public string? SourceCidrs { get; set; }
    public string? KeyTypes { get; set; }
    public string? CriticalOptions { get; set; }
    public string? ForcedCriticalOptions { get; set; }
    public bool Delete { get; set; }

    /// <summary>A blank rule (the "add a policy" fieldset left empty) is not part of the document.</summary>
    public bool IsBlank => string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Subjects) && string.IsNullOrWhiteSpace(Principals);

    public static RuleForm From(PolicyRuleModel rule) => new()
    {
        Name = rule.Name,
        Subjects = string.Join('\n', rule.Subjects.Select(SubjectLine)),
        Principals = Join(rule.Principals),
        DefaultPrincipals = Join(rule.DefaultPrincipals),
        HostGroups = Join(rule.HostGroups),
        AllowUngrouped = rule.AllowUngrouped,
        DefaultTtl = rule.DefaultTtl,
        MaxTtl = rule.MaxTtl,
        Extensions = Join(rule.Extensions),
        DefaultExtensions = Join(rule.DefaultExtensions),
        SourceCidrs = Join(rule.SourceCidrs),
        KeyTypes = string.Join(", ", rule.KeyTypes.Select(k => $"{k.Key}={k.Value.ToString(CultureInfo.InvariantCulture)}")),
        CriticalOptions = string.Join("; ", rule.CriticalOptions.Select(k => $"{k.Key}={string.Join('|', k.Value)}")),
        ForcedCriticalOptions = string.Join("; ", rule.ForcedCriticalOptions.Select(k => $"{k.Key}={k.Value}")),
    };

    /// <summary>A new rule's starting values: the server's defaults.</summary>
    public static RuleForm Blank() => From(new PolicyRuleModel
    {
        Extensions = ["permit-pty", "permit-port-forwarding", "permit-agent-forwarding", "permit-X11-forwarding", "permit-user-rc"],
        DefaultExtensions = ["permit-pty"],
        KeyTypes = new() { ["ssh-ed25519"] = 256, ["ecdsa-sha2-nistp256"] = 256, ["ecdsa-sha2-nistp384"] = 384, ["ecdsa-sha2-nistp521"] = 521, ["ssh-rsa"] = 2048 },
    });

    /// <summary>The rule, adding to <paramref name="errors"/> (keyed like the server's, under <paramref name="at"/>) what cannot be read.</summary>
    public PolicyRuleModel ToRule(string at, Dictionary<string, List<string>> errors)
    {
        var rule = new PolicyRuleModel
        {
            Name = Name?.Trim() ?? "",
            Principals = Split(Principals),
            DefaultPrincipals = Split(DefaultPrincipals),
            HostGroups = Split(HostGroups),
            AllowUngrouped = AllowUngrouped,
            DefaultTtl = DefaultTtl?.Trim() ?? "",
            MaxTtl = MaxTtl?.Trim() ?? "",
            Extensions = Split(Extensions),
            DefaultExtensions = Split(DefaultExtensions),
            SourceCidrs = Split(SourceCidrs),
        };
        foreach (var line in (Subjects ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var subject = new PolicySubjectModel();
            foreach (var part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = Pair(part);
                switch (key)
                {
                    case "provider": subject.Provider = value; break;
                    case "users": subject.Users = Split(value); break;
                    case "groups": subject.Groups = Split(value); break;
                    case var claim when claim.StartsWith("claim.", StringComparison.Ordinal) && claim.Length > 6: subject.Claims[claim[6..]] = value; break;
                    default: Add(errors, $"{at}.subjects", $"\"{part}\": expected provider=, users=, groups= or claim.NAME="); break;
                }
            }
            rule.Subjects.Add(subject);
        }
        foreach (var part in Split(KeyTypes))
        {
            var (type, bits) = Pair(part);
            if (int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out var minimum))
            {
                rule.KeyTypes[type] = minimum;
            }
            else
            {
                Add(errors, $"{at}.key_types", $"\"{part}\": expected TYPE=BITS, e.g. ssh-ed25519=256");
            }
        }
        foreach (var part in (CriticalOptions ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, patterns) = Pair(part);
            rule.CriticalOptions[name] = patterns.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }
        foreach (var part in (ForcedCriticalOptions ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, value) = Pair(part);
            rule.ForcedCriticalOptions[name] = value;
        }
        return rule;
    }

    private static string SubjectLine(PolicySubjectModel s)
    {
        var parts = new List<string> { $"provider={s.Provider}" };
        if (s.Users.Count > 0) parts.Add($"users={string.Join(',', s.Users)}");
        if (s.Groups.Count > 0) parts.Add($"groups={string.Join(',', s.Groups)}");
        parts.AddRange(s.Claims.Select(c => $"claim.{c.Key}={c.Value}"));
        return string.Join(' ', parts);
    }

    private static (string Key, string Value) Pair(string text)
    {
        var at = text.IndexOf('=', StringComparison.Ordinal);
        return at < 0 ? (text.Trim(), "") : (text[..at].Trim(), text[(at + 1)..].Trim());
    }

    private static string Join(List<string> values) => string.Join(", ", values);

    private static List<string> Split(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static void Add(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }
        list.Add(message);
    }
}
