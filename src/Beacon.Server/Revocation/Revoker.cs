using Beacon.Server.Audit;
using Beacon.Server.Storage;

namespace Beacon.Server.Revocation;

/// <summary>
/// Carries out a revocation for the API and the local command alike: marks certificates revoked or stores
/// the revoked key, with its audit event, in one transaction that also raises the KRL version.
/// </summary>
public sealed class Revoker(IBeaconStore store, TimeProvider clock)
{
    /// <summary>The audit kinds: certificate.revoke (serial, user) and key.revoke (public key).</summary>
    public const string CertificateKind = "certificate.revoke";

    public const string KeyKind = "key.revoke";

    /// <exception cref="StoreUnavailableException">The database cannot be written (nothing was revoked).</exception>
    public async Task<RevocationResult> RevokeAsync(RevocationRequest request, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var details = new Dictionary<string, object?> { ["reason"] = reason };
        if (request.PublicKey is { } key)
        {
            var outcome = await store.RevokePublicKeyAsync(
                new RevokedKeyRecord(key.Fingerprint, key.ToOpenSshString(), now, actor, reason),
                new AuditDraft(KeyKind, AuditOutcome.Success, actor, key.Fingerprint, details), cancellationToken);
            return new RevocationResult(outcome.Certificates, outcome.NewlyRevoked ? key.Fingerprint : null);
        }
        var revoked = await store.RevokeCertificatesAsync(request.Serial, request.Username, actor, now,
            new AuditDraft(CertificateKind, AuditOutcome.Success, actor, request.Subject, details), cancellationToken);
        return new RevocationResult(revoked, null);
    }
}

/// <summary>What a revocation changed.</summary>
/// <param name="Certificates">Certificates newly marked revoked.</param>
/// <param name="RevokedKeyFingerprint">The key newly revoked, or null (none asked, or revoked already).</param>
public sealed record RevocationResult(IReadOnlyList<CertificateRecord> Certificates, string? RevokedKeyFingerprint)
{
    /// <summary>False when nothing matched: no live certificate, and no key newly revoked.</summary>
    public bool ChangedAnything => Certificates.Count > 0 || RevokedKeyFingerprint is not null;
}
