using System.Globalization;
using System.Text.RegularExpressions;
using Beacon.Diag.Hosting;
using Beacon.Diag.Ingest;

namespace Beacon.Diag.Alerts;

/// <summary>Turns Diag:Alerts:Rules into checked rules.</summary>
internal static partial class AlertRules
{
    public const string FailureRate = "failure-rate";
    public const string NotSeen = "not-seen";

    /// <exception cref="DiagConfigurationException">A rule is incomplete or out of range; the message names it.</exception>
    public static IReadOnlyList<AlertRule> From(IReadOnlyList<AlertRuleOptions> options)
    {
        var rules = new List<AlertRule>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Count; i++)
        {
            var o = options[i];
            var key = $"Diag:Alerts:Rules:{i.ToString(CultureInfo.InvariantCulture)}";
            if (o.Name is null || !RuleName().IsMatch(o.Name))
            {
                throw new DiagConfigurationException($"{key}:Name must be a short identifier ([a-z0-9_-], at most 40)");
            }
            if (!names.Add(o.Name))
            {
                throw new DiagConfigurationException($"{key}:Name \"{o.Name}\" is used by another rule");
            }
            rules.Add(o.Kind switch
            {
                FailureRate => FailureRateFrom(o, key),
                NotSeen => NotSeenFrom(o, key),
                _ => throw new DiagConfigurationException($"{key}:Kind must be \"{FailureRate}\" or \"{NotSeen}\""),
            });
        }
        return rules;
    }

    private static FailureRateRule FailureRateFrom(AlertRuleOptions o, string key)
    {
        string? command = o.Command is null or "*" ? null : o.Command;
        if (command is not null && !TelemetryPatterns.Command().IsMatch(command))
        {
            throw new DiagConfigurationException($"{key}:Command must be a command name or \"*\"");
        }
        if (o.Threshold is < 0 or >= 1 || double.IsNaN(o.Threshold))
        {
            throw new DiagConfigurationException($"{key}:Threshold must be at least 0 and below 1 (a fraction of events that failed)");
        }
        if (o.Window <= TimeSpan.Zero)
        {
            throw new DiagConfigurationException($"{key}:Window must be positive (e.g. 00:15:00)");
        }
        if (o.MinimumCount < 1)
        {
            throw new DiagConfigurationException($"{key}:MinimumCount must be at least 1");
        }
        return new FailureRateRule(o.Name!, command, o.Threshold, o.Window, o.MinimumCount);
    }

    private static NotSeenRule NotSeenFrom(AlertRuleOptions o, string key)
    {
        if (o.ClientName is not null && !TelemetryPatterns.ClientNames.Contains(o.ClientName))
        {
            throw new DiagConfigurationException($"{key}:ClientName must be \"beacon\" or \"beacon-host\"");
        }
        if (o.After <= TimeSpan.Zero)
        {
            throw new DiagConfigurationException($"{key}:After must be positive (e.g. 01:00:00)");
        }
        return new NotSeenRule(o.Name!, o.ClientName, o.After);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex RuleName();
}
