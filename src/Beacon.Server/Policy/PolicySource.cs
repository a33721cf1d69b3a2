using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Storage;

namespace Beacon.Server.Policy;

/// <summary>
/// The current policy document. The database holds every version; configuration seeds a new version
/// when it differs from the latest stored one. Replicas re-read the latest version at most every few
/// seconds, so an edit through one replica reaches the others quickly.
/// </summary>
public sealed class PolicySource(IBeaconStore store, TimeProvider clock)
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);
    internal static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (PolicyDocument Document, long Version, DateTimeOffset ReadAt)? _current;

    /// <summary>Stores the configured document as a new version when it differs from the latest.</summary>
    public async Task SeedFromConfigurationAsync(PolicyDocument configured, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(configured, Json);
        var latest = await store.LatestPolicyAsync(cancellationToken);
        if (latest?.Document == json)
        {
            return;
        }
        await store.SavePolicyAsync(json, "config", clock.GetUtcNow().ToUnixTimeMilliseconds(),
            new AuditDraft("policy.update", AuditOutcome.Success, "config", "policy", new Dictionary<string, object?> { ["source"] = "configuration" }),
            cancellationToken);
        _current = null;
    }

    public async Task<(PolicyDocument Document, long Version)> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_current is { } cached && now - cached.ReadAt < RefreshInterval)
        {
            return (cached.Document, cached.Version);
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var latest = await store.LatestPolicyAsync(cancellationToken);
            var document = latest is null ? new PolicyDocument() : JsonSerializer.Deserialize<PolicyDocument>(latest.Document, Json) ?? new PolicyDocument();
            _current = (document, latest?.Version ?? 0, now);
            return (document, latest?.Version ?? 0);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Forgets the cached document so the next request reads the database.</summary>
    public void Invalidate() => _current = null;
}
