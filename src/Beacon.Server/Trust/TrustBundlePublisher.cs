using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Policy;
using Beacon.Server.Storage;
using Beacon.Ssh.Keys;
using Beacon.Trust.Bundle;
using Beacon.Trust.OpenPgp;

namespace Beacon.Server.Trust;

/// <summary>
/// Makes a new trust bundle version when the trust material in the database (CA keys and their states,
/// the policy's host groups) or the configuration (revocation key, Beacon:Trust:HostGroupAccounts)
/// differs from the latest version, ignoring version and time. Everything is read from the database
/// at the moment of building, never from a cache, and the version is stored only if no other writer
/// stored one meanwhile (else it rebuilds): two replicas converge on one version per change.
/// </summary>
public sealed class TrustBundlePublisher(ITrustStore trust, IBeaconStore store, TrustOptions options, SshPublicKey revocationKey,
    Func<OpenPgpSigningKey>? serverKey, TimeProvider clock)
{
    /// <summary>Audit kinds: a version published (signed), a version staged as an offline draft.</summary>
    public const string PublishKind = "trust.bundle.publish";

    public const string DraftKind = "trust.bundle.draft";

    /// <summary>Sanity bound: how often to rebuild when other writers keep storing versions.</summary>
    private const int Attempts = 8;

    /// <summary>Stores a new version if the trust material changed; returns it, or null when nothing changed.</summary>
    /// <param name="reason">What triggered it, for the audit event (start, ca.rotate, policy, command).</param>
    /// <exception cref="StoreUnavailableException">The database cannot be read or written.</exception>
    /// <exception cref="InvalidOperationException">No active CA key of a kind, or other writers kept winning.</exception>
    public async Task<TrustBundleRecord?> PublishIfChangedAsync(string actor, string reason, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var latest = await trust.LatestTrustBundleAsync(cancellationToken);
            var keys = await trust.ListCaKeysAsync(cancellationToken);
            var policy = await store.LatestPolicyAsync(cancellationToken);
            var now = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds());
            var bundle = Build((latest?.Version ?? 0) + 1, now, keys, policy);
            if (latest is not null && SameTrust(latest.Document, bundle))
            {
                return null;
            }
            var document = TrustBundleDocument.Serialize(bundle);
            var signature = options.IsOffline ? null : Sign(document, now);
            var nowMs = now.ToUnixTimeMilliseconds();
            var record = new TrustBundleRecord(bundle.Version, document, signature, nowMs, signature is null ? null : nowMs, signature is null ? null : "server");
            var audit = new AuditDraft(signature is null ? DraftKind : PublishKind, AuditOutcome.Success, actor, $"bundle {bundle.Version}", new Dictionary<string, object?>
            {
                ["reason"] = reason,
                ["signed_by"] = signature is null ? null : "server",
                ["user_ca_keys"] = bundle.UserCaKeys.Select(k => $"{k.State} {k.Key.Fingerprint}").ToArray(),
                ["host_ca_keys"] = bundle.HostCaKeys.Select(k => $"{k.State} {k.Key.Fingerprint}").ToArray(),
                ["policy_version"] = policy?.Version,
            });
            if (await trust.TryAppendTrustBundleAsync(latest?.Version ?? 0, record, audit, cancellationToken))
            {
                return record;
            }
        }
        throw new InvalidOperationException($"no trust bundle version could be stored after {Attempts} attempts: other writers kept storing versions");
    }

    private string Sign(byte[] document, DateTimeOffset now)
    {
        var key = (serverKey ?? throw new InvalidOperationException("no bundle-signing key is configured")).Invoke();
        try
        {
            return key.SignDetached(document, now);
        }
        catch (ArgumentException e)
        {
            // The clock is before the key's creation (a clock set back): refuse rather than sign a time the key did not exist.
            throw new InvalidOperationException($"the bundle-signing key cannot sign at {now:O}: {e.Message}", e);
        }
    }

    /// <summary>The bundle for this trust material.</summary>
    /// <exception cref="InvalidOperationException">A kind without an active key.</exception>
    internal TrustBundle Build(long version, DateTimeOffset now, IReadOnlyList<CaKeyRecord> keys, PolicyVersion? policy)
    {
        var document = policy is null ? new PolicyDocument() : JsonSerializer.Deserialize<PolicyDocument>(policy.Document, PolicySource.Json) ?? new PolicyDocument();
        return new TrustBundle(version, now, CaKeys(keys, "user"), CaKeys(keys, "host"), [revocationKey],
            HostGroupMap.From(document, options.HostGroupAccounts));
    }

    private static List<BundleCaKey> CaKeys(IReadOnlyList<CaKeyRecord> keys, string kind)
    {
        // Active first: a reader that takes the first key gets the one signing now.
        string[] order = [CaKeyState.Active, CaKeyState.Next, CaKeyState.Previous];
        var listed = keys.Where(k => k.Kind == kind && order.Contains(k.State))
            .OrderBy(k => Array.IndexOf(order, k.State))
            .Select(k => new BundleCaKey(SshPublicKeyParser.ParseLine(k.PublicKey), k.State))
            .ToList();
        if (!listed.Any(k => k.State == BundleCaKey.Active))
        {
            throw new InvalidOperationException($"no active {kind} CA key is stored: the bundle cannot be built");
        }
        return listed;
    }

    /// <summary>Whether a stored document carries the same trust as a new bundle (version and time aside).</summary>
    internal static bool SameTrust(byte[] stored, TrustBundle bundle)
    {
        try
        {
            var old = TrustBundleDocument.Parse(stored);
            return TrustBundleDocument.Serialize(old with { Version = 1, CreatedAt = DateTimeOffset.UnixEpoch })
                .AsSpan().SequenceEqual(TrustBundleDocument.Serialize(bundle with { Version = 1, CreatedAt = DateTimeOffset.UnixEpoch }));
        }
        catch (TrustBundleFormatException)
        {
            return false;
        }
    }
}
