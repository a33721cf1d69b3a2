using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Identity;
using Beacon.Server.Observability;
using Beacon.Server.Policy;
using Beacon.Server.Signing;
using Beacon.Server.Storage;
using Beacon.Ssh.Certificates;

namespace Beacon.Server.Issuance;

/// <summary>
/// The signing path, top to bottom: authenticate with the provider (no cache), map to an internal user
/// (refuse if disabled), evaluate policy (default deny), validate the key, build and sign with the
/// user CA, record the certificate and its audit event durably, and only then return it.
/// </summary>
public sealed class UserCertificateIssuer(
    IdentityProviderRegistry providers,
    IBeaconStore store,
    PolicySource policies,
    CaKeyRing cas,
    TokenDigest digest,
    Api.RequestRateLimits limits,
    ServerMetrics metrics,
    IActiveCertificateTracker tracker,
    TimeProvider clock,
    IssuanceOptions options,
    ILogger<UserCertificateIssuer> logger)
{
    public async Task<IssuanceOutcome> IssueAsync(UserCertificateRequest request, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString("N")[..16];
        var provider = providers.Select(request.BearerToken, request.ProviderName);
        if (provider is null)
        {
            metrics.Refused(request.ProviderName ?? "unknown", "unauthenticated");
            return IssuanceOutcome.Refused(401, "Unauthenticated", request.ProviderName is null
                ? "no configured identity provider accepts this kind of token"
                : $"no identity provider is named \"{request.ProviderName}\"");
        }

        try
        {
            return await IssueAsync(provider, requestId, request, cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            // The database failed before the recording step (a one-time token, the user, the policy):
            // nothing was issued and the request's audit event could not be written either. Fail closed.
            metrics.AuditWriteFailed();
            metrics.Refused(provider.Name, "unavailable");
            logger.LogError("database unavailable, request {RequestId} refused: {Reason}", requestId, e.InnerException?.Message ?? e.Message);
            return IssuanceOutcome.Refused(503, "Database unavailable", "no certificate was issued because the database could not be reached; try again shortly");
        }
    }

    private async Task<IssuanceOutcome> IssueAsync(IIdentityProvider provider, string requestId, UserCertificateRequest request, CancellationToken cancellationToken)
    {
        var authentication = await provider.AuthenticateAsync(request.BearerToken, new AuthenticationContext(request.ClientAddress), cancellationToken);
        var tokenId = digest.AuditId(request.BearerToken);
        if (authentication.Identity is not { } identity)
        {
            var reason = authentication.Status switch { 403 => "forbidden", 503 => "unavailable", _ => "unauthenticated" };
            metrics.Refused(provider.Name, reason);
            await AuditRefusalAsync(provider.Name, $"{provider.Name}:unknown", null, requestId, tokenId, request, authentication.Reason!, cancellationToken);
            return IssuanceOutcome.Refused(authentication.Status, authentication.Status switch
            {
                403 => "Forbidden",
                503 => "Identity provider unavailable",
                _ => "Unauthenticated",
            }, authentication.Reason!);
        }

        if (limits.IdentityExhausted(identity.Actor) is { } retryAfter)
        {
            metrics.Refused(identity.Provider, "rate_limited");
            return IssuanceOutcome.Refused(429, "Too many requests", $"too many certificate requests for \"{identity.Username}\"") with { RetryAfter = retryAfter };
        }

        var now = clock.GetUtcNow();
        var user = await store.TouchUserAsync(identity.Provider, identity.Subject, identity.Username, identity.Email, now.ToUnixTimeMilliseconds(), cancellationToken);
        if (user.Disabled)
        {
            return await RefuseAsync(identity, requestId, tokenId, request, 403, "Forbidden", $"user \"{identity.Username}\" is disabled", "forbidden", cancellationToken);
        }

        var (document, policyVersion) = await policies.CurrentAsync(cancellationToken);
        var decision = PolicyEvaluator.Evaluate(document, identity, request.Shape, request.ClientAddress);
        if (decision.Grant is not { } grant)
        {
            return await RefuseAsync(identity, requestId, tokenId, request, 403, "Refused by policy", decision.Refusal!, "forbidden", cancellationToken);
        }

        var (key, keyError) = SubjectKeyValidator.Validate(request.PublicKey, grant.KeyTypes, cas);
        if (key is null)
        {
            return await RefuseAsync(identity, requestId, tokenId, request, 400, "Invalid public key", keyError!, "bad_request", cancellationToken);
        }

        // One read of the active key: a rotation landing mid-request must not sign with one key and record another.
        var ca = cas.UserCa;
        for (var attempt = 0; ; attempt++)
        {
            var validAfter = now - options.ClockSkew;
            var certificate = new SshCertificateBuilder
            {
                PublicKey = key,
                Type = SshCertificateType.User,
                KeyId = $"beacon:{identity.Provider}:{identity.Username}:{requestId}",
                Principals = grant.Principals,
                ValidAfter = (ulong)validAfter.ToUnixTimeSeconds(),
                ValidBefore = (ulong)(now + grant.Ttl).ToUnixTimeSeconds(),
                CriticalOptions = grant.CriticalOptions,
                Extensions = grant.Extensions,
            }.Sign(ca);

            var record = new CertificateRecord(
                certificate.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture), "user", user.Id, identity.Username, identity.Provider,
                certificate.KeyId, JsonSerializer.Serialize(grant.Principals), grant.HostGroup, key.Fingerprint, ca.PublicKey.Fingerprint,
                (long)certificate.ValidAfter, (long)certificate.ValidBefore, now.ToUnixTimeMilliseconds(), request.ClientAddress?.ToString(),
                requestId, certificate.ToOpenSshString());
            var audit = new AuditDraft("certificate.issue", AuditOutcome.Success, identity.Actor, identity.Username, new Dictionary<string, object?>
            {
                ["request_id"] = requestId,
                ["serial"] = record.Serial,
                ["key_id"] = certificate.KeyId,
                ["principals"] = grant.Principals,
                ["host_group"] = grant.HostGroup,
                ["valid_after"] = record.ValidAfter,
                ["valid_before"] = record.ValidBefore,
                ["public_key_fingerprint"] = key.Fingerprint,
                ["ca_fingerprint"] = record.CaFingerprint,
                ["policy"] = grant.PolicyName,
                ["policy_version"] = policyVersion,
                ["token_id"] = tokenId,
                ["client_address"] = record.ClientAddress,
            });
            try
            {
                // Durable before returned: no certificate leaves without its audit record.
                await store.RecordIssuanceAsync(record, audit, cancellationToken);
            }
            catch (DuplicateSerialException) when (attempt < 3)
            {
                continue;
            }
            catch (StoreUnavailableException e)
            {
                metrics.AuditWriteFailed();
                metrics.Refused(identity.Provider, "unavailable");
                logger.LogError("audit store unavailable, certificate for {User} withheld: {Reason}", identity.Username, e.InnerException?.Message ?? e.Message);
                return IssuanceOutcome.Refused(503, "Audit store unavailable", "the certificate was not issued because its audit record could not be stored");
            }
            metrics.Issued(identity.Provider, "user");
            await tracker.TrackAsync(record, cancellationToken);
            logger.LogInformation("issued {Serial} to {User} via {Provider} principals {Principals}", record.Serial, identity.Username, identity.Provider, record.Principals);
            return IssuanceOutcome.Issued(certificate, record);
        }
    }

    private async Task<IssuanceOutcome> RefuseAsync(AuthenticatedIdentity identity, string requestId, string tokenId, UserCertificateRequest request,
        int status, string title, string detail, string metricReason, CancellationToken cancellationToken)
    {
        metrics.Refused(identity.Provider, metricReason);
        await AuditRefusalAsync(identity.Provider, identity.Actor, identity.Username, requestId, tokenId, request, detail, cancellationToken);
        return IssuanceOutcome.Refused(status, title, detail);
    }

    private async Task AuditRefusalAsync(string provider, string actor, string? username, string requestId, string tokenId,
        UserCertificateRequest request, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await store.AppendAuditAsync(new AuditDraft("certificate.refuse", AuditOutcome.Refused, actor, username, new Dictionary<string, object?>
            {
                ["request_id"] = requestId,
                ["provider"] = provider,
                ["reason"] = reason,
                ["token_id"] = tokenId,
                ["client_address"] = request.ClientAddress?.ToString(),
            }), cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            // The refusal stands either way; only the count of lost audit writes changes.
            metrics.AuditWriteFailed();
        }
    }
}

/// <summary>Issuance settings that are not policy.</summary>
public sealed class IssuanceOptions
{
    /// <summary>How far valid-after is back-dated, for clients whose clocks run behind.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);
}
