using System.Text;
using Beacon.Server.Audit;
using Beacon.Server.Storage;
using Beacon.Trust.OpenPgp;

namespace Beacon.Server.Trust;

/// <summary>
/// Offline signing: publishes a staged draft once an operator's detached signature over its exact bytes
/// verifies with the operator key. A signature that does not verify publishes nothing, and says why.
/// </summary>
public sealed class BundleSignatures(ITrustStore trust, IBeaconStore store, TrustOptions options, TimeProvider clock)
{
    /// <summary>Sanity bound: an armored RSA-4096 signature is under 1 KiB.</summary>
    public const int MaxSignatureLength = 16 * 1024;

    /// <summary>The current draft (the latest version, unsigned); null when the latest version is published or there is none.</summary>
    public async Task<TrustBundleRecord?> DraftAsync(CancellationToken cancellationToken) =>
        await trust.LatestTrustBundleAsync(cancellationToken) is { IsPublished: false } draft ? draft : null;

    /// <summary>Verifies the signature over draft <paramref name="version"/> and publishes it.</summary>
    /// <exception cref="StoreUnavailableException">The database cannot be read or written.</exception>
    public async Task<SignatureOutcome> PublishAsync(long version, string signature, string actor, CancellationToken cancellationToken)
    {
        if (!options.IsOffline)
        {
            return await RefuseAsync(409, version, actor, "bundles are signed by the server here (Beacon:Trust:Signing is server), not uploaded", cancellationToken);
        }
        if (signature.Length is 0 or > MaxSignatureLength)
        {
            return await RefuseAsync(422, version, actor, $"the signature must be an armored OpenPGP signature of at most {MaxSignatureLength} bytes", cancellationToken);
        }
        var bundle = await trust.TrustBundleAsync(version, cancellationToken);
        if (bundle is null)
        {
            return await RefuseAsync(404, version, actor, $"there is no bundle version {version}", cancellationToken);
        }
        if (bundle.IsPublished)
        {
            return await RefuseAsync(409, version, actor, $"bundle version {version} is published already", cancellationToken);
        }
        var latest = await trust.LatestTrustBundleAsync(cancellationToken);
        if (latest is not null && latest.Version != version)
        {
            // An older draft no longer carries the current trust material: publishing it would undo later changes.
            return await RefuseAsync(409, version, actor, $"draft {version} is superseded by draft {latest.Version}; sign that one", cancellationToken);
        }
        OpenPgpPublicKey key;
        try
        {
            key = OperatorKey.Load(options);
        }
        catch (InvalidOperationException e)
        {
            return await RefuseAsync(503, version, actor, $"the operator key cannot be used: {e.Message}", cancellationToken);
        }
        OpenPgpVerification verification;
        try
        {
            verification = key.VerifyDetached(bundle.Document, Encoding.UTF8.GetBytes(signature));
        }
        catch (OpenPgpFormatException e)
        {
            verification = OpenPgpVerification.Invalid($"not a usable OpenPGP signature: {e.Message}");
        }
        if (!verification.IsValid)
        {
            return await RefuseAsync(422, version, actor, $"the signature does not verify with the operator key {key.Fingerprint}: {verification.Reason}", cancellationToken);
        }
        var stored = signature.TrimEnd() + "\n";
        var published = await trust.PublishTrustBundleAsync(version, stored, actor, clock.GetUtcNow().ToUnixTimeMilliseconds(),
            new AuditDraft(TrustBundlePublisher.PublishKind, AuditOutcome.Success, actor, $"bundle {version}", new Dictionary<string, object?>
            {
                ["signed_by"] = verification.IssuerFingerprint ?? key.Fingerprint,
                ["operator_key"] = key.Fingerprint,
            }), cancellationToken);
        if (!published)
        {
            return await RefuseAsync(409, version, actor, $"bundle version {version} was published meanwhile", cancellationToken);
        }
        return new SignatureOutcome(200, $"published bundle version {version}, signed by {key.Fingerprint}", await trust.TrustBundleAsync(version, cancellationToken));
    }

    private async Task<SignatureOutcome> RefuseAsync(int status, long version, string actor, string reason, CancellationToken cancellationToken)
    {
        await store.AppendAuditAsync(new AuditDraft(TrustBundlePublisher.PublishKind, AuditOutcome.Refused, actor, $"bundle {version}",
            new Dictionary<string, object?> { ["reason"] = reason }), cancellationToken);
        return new SignatureOutcome(status, reason, null);
    }
}

/// <summary>The outcome of a signature upload: 200 and the published version, or a 4xx/503 status and why.</summary>
public sealed record SignatureOutcome(int Status, string Message, TrustBundleRecord? Published);
