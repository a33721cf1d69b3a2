using Beacon.Ssh.Certificates;

namespace Beacon.Server.Policy;

/// <summary>What a request for a user certificate asks for, after JSON parsing.</summary>
public sealed record CertificateRequestShape(
    IReadOnlyList<string>? Principals,
    string? HostGroup,
    TimeSpan? Ttl,
    IReadOnlyList<string>? Extensions,
    IReadOnlyDictionary<string, string>? CriticalOptions);

/// <summary>The template a granting policy yields: exactly what the certificate will carry.</summary>
public sealed record CertificateGrant(
    string PolicyName,
    IReadOnlyList<string> Principals,
    string? HostGroup,
    TimeSpan Ttl,
    IReadOnlyList<SshCertificateOption> Extensions,
    IReadOnlyList<SshCertificateOption> CriticalOptions,
    IReadOnlyDictionary<string, int> KeyTypes);

/// <summary>A grant, or the reason for a refusal (403) naming the part that was refused.</summary>
public sealed record PolicyDecision(CertificateGrant? Grant, string? Refusal)
{
    public static PolicyDecision Allow(CertificateGrant grant) => new(grant, null);

    public static PolicyDecision Deny(string reason) => new(null, reason);
}
