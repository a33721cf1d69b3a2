using Beacon.Ssh.Keys;

namespace Beacon.Client;

/// <summary>A user certificate request: the key to certify and, optionally, what to ask for (policy supplies defaults).</summary>
public sealed record CertificateRequest(SshPublicKey PublicKey)
{
    public IReadOnlyList<string>? Principals { get; init; }

    public string? HostGroup { get; init; }

    /// <summary>A lifetime such as 15m; policy's default when null.</summary>
    public string? Ttl { get; init; }

    public IReadOnlyList<string>? Extensions { get; init; }

    public IReadOnlyDictionary<string, string>? CriticalOptions { get; init; }
}
