using System.Globalization;
using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Ca;
using Beacon.Server.Policy;
using Beacon.Server.Signing;
using Beacon.Server.Storage;
using Beacon.Server.Trust;
using Beacon.Ssh.Keys;

namespace Beacon.Server.CaLifecycle;

/// <summary>
/// CA rotation (DESIGN flow 7): rotate generates the next key (trusted, not signing), activate makes it
/// the signing key and the old one previous, retire drops the previous key once no certificate it signed
/// can still be valid. Every step and every refusal is audited; every step publishes a new bundle.
/// Used by the admin API and by `beacon-server ca` alike.
/// </summary>
/// <param name="encrypt">Encrypts a new private key under the CA password (the EncryptedKeyFile bytes stored).</param>
/// <param name="afterChange">Runs after a step is stored (the server reloads its key ring at once).</param>
public sealed class CaLifecycleService(ITrustStore trust, IBeaconStore store, TrustBundlePublisher publisher, TimeProvider clock,
    Func<SshPrivateKey, byte[]> encrypt, Func<CancellationToken, Task>? afterChange = null)
{
    public const string RotateKind = "ca.rotate";
    public const string ActivateKind = "ca.activate";
    public const string RetireKind = "ca.retire";

    /// <summary>Host certificates live up to 30 days (the enrollment default): a host CA key outlives that.</summary>
    public static readonly TimeSpan HostCertificateLifetime = TimeSpan.FromDays(30);

    /// <summary>Generates the next key of a kind: the same type and size as the active key unless <paramref name="spec"/> says otherwise.</summary>
    public async Task<CaStepOutcome> RotateAsync(CaKind kind, CaKeySpec? spec, string actor, CancellationToken cancellationToken)
    {
        var name = CaKindText.Of(kind);
        var keys = await KeysAsync(kind, cancellationToken);
        if (keys.SingleOrDefault(k => k.State == CaKeyState.Next) is { } next)
        {
            return await RefuseAsync(RotateKind, kind, actor, $"the {name} CA has a next key already ({Describe(next)}): activate it before rotating again", cancellationToken);
        }
        var active = keys.SingleOrDefault(k => k.State == CaKeyState.Active);
        spec ??= active is null ? CaKeySpec.Default : SpecOf(SshPublicKeyParser.ParseLine(active.PublicKey));
        using var key = spec.Generate();
        var record = await trust.AddNextCaKeyAsync(
            new NewCaKey(name, key.PublicKey.ToOpenSshString(), key.PublicKey.Fingerprint, encrypt(key)),
            Now(), Audit(RotateKind, AuditOutcome.Success, actor, kind, new() { ["type"] = key.PublicKey.KeyType, ["bits"] = key.PublicKey.SizeInBits }),
            cancellationToken);
        if (record is null)
        {
            return await RefuseAsync(RotateKind, kind, actor, $"the {name} CA got a next key meanwhile: activate it before rotating again", cancellationToken);
        }
        return await PublishAsync(RotateKind, actor,
            $"{name} CA: next {Describe(record)} generated; it is trusted from the new bundle on; activate it once every host has synced", record, cancellationToken);
    }

    /// <summary>Makes the next key active (it signs from now on) and the active key previous (still trusted).</summary>
    public async Task<CaStepOutcome> ActivateAsync(CaKind kind, string actor, CancellationToken cancellationToken)
    {
        var name = CaKindText.Of(kind);
        var activation = await trust.ActivateNextCaKeyAsync(name, Now(), Audit(ActivateKind, AuditOutcome.Success, actor, kind), cancellationToken);
        if (activation.Activated is not { } activated)
        {
            if (activation.BlockingPrevious is { } previous)
            {
                var (allowed, _) = await RetirementAllowedFromAsync(kind, previous, cancellationToken);
                return await RefuseAsync(ActivateKind, kind, actor,
                    $"the previous {name} CA key {Describe(previous)} is not retired yet: retire it first (allowed from {Time(allowed)})", cancellationToken);
            }
            return await RefuseAsync(ActivateKind, kind, actor, $"the {name} CA has no next key to activate: rotate first", cancellationToken);
        }
        var demoted = activation.Demoted is { } old ? $"; {Describe(old)} is previous, trusted until retired" : "";
        return await PublishAsync(ActivateKind, actor, $"{name} CA: {Describe(activated)} is active and signs from now on{demoted}", activated, cancellationToken);
    }

    /// <summary>
    /// Retires the previous key, once the longest certificate lifetime has passed since its successor's
    /// activation and no unexpired, unrevoked certificate it signed remains; <paramref name="force"/>
    /// retires it anyway (a compromised key), audited as forced.
    /// </summary>
    public async Task<CaStepOutcome> RetireAsync(CaKind kind, bool force, string actor, CancellationToken cancellationToken)
    {
        var name = CaKindText.Of(kind);
        var keys = await KeysAsync(kind, cancellationToken);
        if (keys.SingleOrDefault(k => k.State == CaKeyState.Previous) is not { } previous)
        {
            return await RefuseAsync(RetireKind, kind, actor, $"the {name} CA has no previous key to retire", cancellationToken);
        }
        var (allowedFrom, why) = await RetirementAllowedFromAsync(kind, previous, cancellationToken);
        var early = clock.GetUtcNow() < allowedFrom;
        if (early && !force)
        {
            return await RefuseAsync(RetireKind, kind, actor,
                $"the previous {name} CA key {Describe(previous)} may be retired from {Time(allowedFrom)}: {why}; forcing (--force, or \"force\": true) retires it now, for a compromised key",
                cancellationToken);
        }
        var retired = await trust.RetireCaKeyAsync(previous.Id, Now(), Audit(RetireKind, AuditOutcome.Success, actor, kind, new()
        {
            ["fingerprint"] = previous.Fingerprint,
            ["key_id"] = previous.Id,
            ["forced"] = early,
            ["allowed_from"] = allowedFrom.ToUnixTimeMilliseconds(),
        }), cancellationToken);
        if (!retired)
        {
            return await RefuseAsync(RetireKind, kind, actor, $"the {name} CA key {Describe(previous)} is no longer the previous key", cancellationToken);
        }
        var forced = early ? " (forced: certificates it signed may still be valid and are refused from the new bundle on)" : "";
        return await PublishAsync(RetireKind, actor, $"{name} CA: {Describe(previous)} is retired and leaves the bundle{forced}",
            previous with { State = CaKeyState.Retired }, cancellationToken);
    }

    /// <summary>When the previous key may be retired, and why not before.</summary>
    internal async Task<(DateTimeOffset AllowedFrom, string Why)> RetirementAllowedFromAsync(CaKind kind, CaKeyRecord previous, CancellationToken cancellationToken)
    {
        var successor = (await KeysAsync(kind, cancellationToken)).SingleOrDefault(k => k.State == CaKeyState.Active);
        var activatedAt = DateTimeOffset.FromUnixTimeMilliseconds(successor?.ActivatedAt ?? 0);
        var lifetime = await LongestCertificateLifetimeAsync(cancellationToken);
        var byLifetime = activatedAt + lifetime;
        var lastLive = await trust.LastLiveCertificateOfCaAsync(previous.Fingerprint, clock.GetUtcNow().ToUnixTimeSeconds(), cancellationToken);
        var byCertificates = lastLive is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MinValue;
        var why = $"a certificate lives up to {DurationText.Format(lifetime)} and its successor was activated at {Time(activatedAt)}";
        if (lastLive is not null)
        {
            why += $"; a certificate it signed is valid until {Time(byCertificates)}";
        }
        return (byLifetime > byCertificates ? byLifetime : byCertificates, why);
    }

    /// <summary>The policy's largest MaxTtl; when host certificates exist, at least 30 days and the Hosts rules' largest MaxTtl.</summary>
    internal async Task<TimeSpan> LongestCertificateLifetimeAsync(CancellationToken cancellationToken)
    {
        var stored = await store.LatestPolicyAsync(cancellationToken);
        var policy = stored is null ? new PolicyDocument() : JsonSerializer.Deserialize<PolicyDocument>(stored.Document, PolicySource.Json) ?? new PolicyDocument();
        var longest = TimeSpan.Zero;
        foreach (var rule in policy.Policies)
        {
            // An unreadable MaxTtl counts as the longest a policy allows: waiting too long is safe, too short is not.
            var ttl = DurationText.TryParse(rule.MaxTtl, PolicyEvaluator.MaxPolicyTtl, out var parsed) ? parsed : PolicyEvaluator.MaxPolicyTtl;
            longest = ttl > longest ? ttl : longest;
        }
        if (await trust.AnyHostCertificateAsync(cancellationToken))
        {
            foreach (var rule in policy.Hosts)
            {
                var ttl = DurationText.TryParse(rule.MaxTtl, PolicyEvaluator.MaxPolicyTtl, out var parsed) ? parsed : PolicyEvaluator.MaxPolicyTtl;
                longest = ttl > longest ? ttl : longest;
            }
            longest = HostCertificateLifetime > longest ? HostCertificateLifetime : longest;
        }
        return longest;
    }

    private async Task<CaStepOutcome> PublishAsync(string step, string actor, string message, CaKeyRecord key, CancellationToken cancellationToken)
    {
        if (afterChange is not null)
        {
            await afterChange(cancellationToken);
        }
        try
        {
            // Null: the latest version carries this trust already (another replica, or this server's refresher, made it first).
            var bundle = await publisher.PublishIfChangedAsync(actor, step, cancellationToken) ?? await trust.LatestTrustBundleAsync(cancellationToken);
            return new CaStepOutcome(true, message, key, bundle);
        }
        catch (Exception e) when (e is InvalidOperationException or StoreUnavailableException or Beacon.Trust.OpenPgp.OpenPgpFormatException)
        {
            return new CaStepOutcome(true, message, key, null, e.Message);
        }
    }

    private async Task<CaStepOutcome> RefuseAsync(string step, CaKind kind, string actor, string reason, CancellationToken cancellationToken)
    {
        await store.AppendAuditAsync(Audit(step, AuditOutcome.Refused, actor, kind, new() { ["reason"] = reason }), cancellationToken);
        return CaStepOutcome.Refused(reason);
    }

    private async Task<List<CaKeyRecord>> KeysAsync(CaKind kind, CancellationToken cancellationToken) =>
        [.. (await trust.ListCaKeysAsync(cancellationToken)).Where(k => k.Kind == CaKindText.Of(kind))];

    private static AuditDraft Audit(string step, string outcome, string actor, CaKind kind, Dictionary<string, object?>? details = null)
    {
        var all = details ?? [];
        all["kind"] = CaKindText.Of(kind);
        return new AuditDraft(step, outcome, actor, $"{CaKindText.Of(kind)} CA", all);
    }

    /// <summary>The spec that generates a key like this one.</summary>
    internal static CaKeySpec SpecOf(SshPublicKey key) => key.KeyType switch
    {
        "ssh-ed25519" => CaKeySpec.Default,
        "ssh-rsa" => new CaKeySpec(SshKeyAlgorithm.Rsa, Math.Max(key.SizeInBits, CaKeySpec.MinRsaBits)),
        _ => new CaKeySpec(SshKeyAlgorithm.Ecdsa, key.SizeInBits),
    };

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    internal static string Describe(CaKeyRecord key) => $"key {key.Id} {key.Fingerprint}";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
