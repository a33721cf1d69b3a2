using System.Net;
using Beacon.Server.Identity;
using Beacon.Server.Signing;
using Beacon.Ssh.Certificates;

namespace Beacon.Server.Policy;

/// <summary>
/// Default deny: a request is granted only when one policy covering the identity admits every part of
/// it. A refusal names the part refused, so a 403 says what to change.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>Sanity bounds, not policy: what a principal or host group may look like.</summary>
    public const int MaxPrincipals = 32;
    public const int MaxNameLength = 128;

    /// <summary>The longest lifetime a policy may name (host certificates go up to 30 days).</summary>
    public static readonly TimeSpan MaxPolicyTtl = TimeSpan.FromDays(366);

    public static PolicyDecision Evaluate(PolicyDocument document, AuthenticatedIdentity identity, CertificateRequestShape request, IPAddress? clientAddress)
    {
        var covering = document.Policies.Where(p => p.Subjects.Any(s => SubjectMatches(s, identity))).ToList();
        if (covering.Count == 0)
        {
            return PolicyDecision.Deny($"no policy grants {identity.Provider} user \"{identity.Username}\" any certificate");
        }
        string? firstRefusal = null;
        foreach (var rule in covering)
        {
            var decision = EvaluateRule(rule, identity, request, clientAddress);
            if (decision.Grant is not null)
            {
                return decision;
            }
            firstRefusal ??= $"policy \"{rule.Name}\": {decision.Refusal}";
        }
        return PolicyDecision.Deny(firstRefusal!);
    }

    public static bool SubjectMatches(PolicySubject subject, AuthenticatedIdentity identity)
    {
        if (!string.Equals(subject.Provider, identity.Provider, StringComparison.Ordinal))
        {
            return false;
        }
        if (subject.Users.Count > 0 && !subject.Users.Any(u => Glob.IsMatch(u, identity.Username)))
        {
            return false;
        }
        if (subject.Groups.Count > 0 && !subject.Groups.Any(g => identity.Groups.Any(ig => Glob.IsMatch(g, ig))))
        {
            return false;
        }
        foreach (var (claim, pattern) in subject.Claims)
        {
            if (!identity.Claims.TryGetValue(claim, out var value) || !Glob.IsMatch(pattern, value))
            {
                return false;
            }
        }
        return true;
    }

    private static PolicyDecision EvaluateRule(PolicyRule rule, AuthenticatedIdentity identity, CertificateRequestShape request, IPAddress? clientAddress)
    {
        if (rule.SourceCidrs.Count > 0 && (clientAddress is null || !rule.SourceCidrs.Any(c => Cidr.Contains(c, clientAddress))))
        {
            return PolicyDecision.Deny($"requests from {clientAddress?.ToString() ?? "an unknown address"} are not allowed");
        }

        var hostGroup = request.HostGroup;
        if (hostGroup is not null && !rule.HostGroups.Contains(hostGroup, StringComparer.Ordinal))
        {
            return PolicyDecision.Deny($"host group \"{hostGroup}\" is not allowed");
        }
        if (hostGroup is null && !rule.AllowUngrouped)
        {
            return PolicyDecision.Deny("a host group is required");
        }

        var allowed = rule.Principals.Select(p => p.Replace("{username}", identity.Username, StringComparison.Ordinal)).ToList();
        var defaults = rule.DefaultPrincipals.Count > 0
            ? rule.DefaultPrincipals.Select(p => p.Replace("{username}", identity.Username, StringComparison.Ordinal)).ToList()
            : allowed.Where(p => !p.Contains('*') && !p.Contains('?')).ToList();
        var principals = request.Principals ?? identity.Principals ?? defaults;
        if (principals.Count == 0)
        {
            // An empty principal list means "any principal" to OpenSSH (Vault CVE-2024-7594): never issue one.
            return PolicyDecision.Deny("no principals requested and the policy has no default");
        }
        if (principals.Count > MaxPrincipals)
        {
            return PolicyDecision.Deny($"more than {MaxPrincipals} principals");
        }
        foreach (var principal in principals)
        {
            if (!allowed.Any(a => Glob.IsMatch(a, principal)))
            {
                return PolicyDecision.Deny($"principal \"{principal}\" is not allowed");
            }
            if (identity.Principals is { } fixedByToken && !fixedByToken.Contains(principal, StringComparer.Ordinal))
            {
                return PolicyDecision.Deny($"principal \"{principal}\" is not allowed by the token");
            }
        }

        var defaultTtl = DurationText.Parse(rule.DefaultTtl, MaxPolicyTtl);
        var maxTtl = DurationText.Parse(rule.MaxTtl, MaxPolicyTtl);
        var ttl = request.Ttl ?? (defaultTtl <= maxTtl ? defaultTtl : maxTtl);
        if (ttl > maxTtl)
        {
            return PolicyDecision.Deny($"ttl {DurationText.Format(ttl)} exceeds the maximum {DurationText.Format(maxTtl)}");
        }

        var extensionNames = request.Extensions ?? rule.DefaultExtensions;
        foreach (var extension in extensionNames)
        {
            if (!rule.Extensions.Contains(extension, StringComparer.Ordinal))
            {
                return PolicyDecision.Deny($"extension \"{extension}\" is not allowed");
            }
        }

        var critical = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.CriticalOptions ?? new Dictionary<string, string>())
        {
            if (!rule.CriticalOptions.TryGetValue(name, out var patterns))
            {
                return PolicyDecision.Deny($"critical option \"{name}\" is not allowed");
            }
            if (!patterns.Any(p => Glob.IsMatch(p, value)))
            {
                return PolicyDecision.Deny($"critical option \"{name}\" value \"{value}\" is not allowed");
            }
            critical[name] = value;
        }
        foreach (var (name, value) in rule.ForcedCriticalOptions)
        {
            critical[name] = value;
        }

        var finalPrincipals = hostGroup is null ? principals.ToList() : principals.Select(p => HostGroupPrincipal.Format(p, hostGroup)).ToList();
        return PolicyDecision.Allow(new CertificateGrant(
            rule.Name,
            finalPrincipals,
            hostGroup,
            ttl,
            extensionNames.Distinct(StringComparer.Ordinal).Select(SshCertificateOption.Flag).ToList(),
            critical.Select(kv => SshCertificateOption.WithValue(kv.Key, kv.Value)).ToList(),
            rule.KeyTypes));
    }
}

/// <summary>
/// How a certificate scoped to a host group names its principals: account@group. A host's principals
/// file for an account lists account@group only for its own groups, so sshd itself enforces the scope.
/// </summary>
public static class HostGroupPrincipal
{
    public static string Format(string account, string group) => $"{account}@{group}";
}
