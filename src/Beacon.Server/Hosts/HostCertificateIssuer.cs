using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Ca;
using Beacon.Server.Identity;
using Beacon.Server.Issuance;
using Beacon.Server.Observability;
using Beacon.Server.Policy;
using Beacon.Server.Signing;
using Beacon.Server.Storage;
using Beacon.Ssh;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Hosts;

/// <summary>
/// Host certificates, top to bottom: enrollment (a one-time token, used up by the first attempt; names
/// checked by the policy's Hosts rules; keys validated; one certificate per key signed by the host CA;
/// recorded with the audit event before it is returned) and renewal (the current certificate, trusted,
/// unexpired, known and unrevoked, plus an SSHSIG over a single-use challenge made with its own key).
/// </summary>
public sealed partial class HostCertificateIssuer(
    IHostStore hosts,
    IBeaconStore store,
    PolicySource policies,
    CaKeyRing cas,
    TokenDigest digest,
    ServerMetrics metrics,
    TimeProvider clock,
    IssuanceOptions issuance,
    IOptions<HostOptions> options,
    ILogger<HostCertificateIssuer> logger)
{
    public const string EnrollKind = "host.enroll";
    public const string RenewKind = "host.renew";
    public const string RenewSignatureNamespace = "beacon-host-renew@beaconssh";
    public const int ChallengeBytes = 32;

    /// <summary>Sanity bound, not in the spec: public keys in one enrollment (a host has a handful of host keys).</summary>
    public const int MaxPublicKeys = 8;

    private const string MetricProvider = "host";

    /// <summary>Host keys accepted: as for users, Ed25519, ECDSA and RSA of 2048 bits or more.</summary>
    private static readonly IReadOnlyDictionary<string, int> HostKeyTypes = new PolicyRule().KeyTypes;

    /// <param name="bodyError">Why the request body could not be read, when it could not: the token is still used up, and the refusal audited.</param>
    public async Task<HostResult<HostIssuance>> EnrollAsync(string token, IReadOnlyList<string>? names, IReadOnlyList<string>? publicKeys, IPAddress? client,
        CancellationToken cancellationToken, string? bodyError = null)
    {
        var tokenId = digest.AuditId(token);
        var actor = $"host-token:{tokenId}";
        var details = new Dictionary<string, object?> { ["token_id"] = tokenId, ["names"] = names, ["client_address"] = client?.ToString() };
        try
        {
            // Used up first, whatever follows: a token leaked after a failed attempt is worth nothing.
            var now = clock.GetUtcNow();
            var (record, failure) = await hosts.ConsumeHostTokenAsync(digest.StorageHmac(token), now.ToUnixTimeMilliseconds(), cancellationToken);
            if (record is null)
            {
                var why = failure switch
                {
                    OneTimeUseFailure.Used => "the host enrollment token was already used",
                    OneTimeUseFailure.Expired => "the host enrollment token has expired",
                    _ => "the host enrollment token is unknown",
                };
                return await RefuseAsync<HostIssuance>(EnrollKind, actor, null, details, 401, "Unauthenticated", why, "unauthenticated", cancellationToken);
            }
            var groups = JsonSerializer.Deserialize<List<string>>(record.HostGroups) ?? [];
            details["groups"] = groups;
            if ((bodyError ?? HostNames.Check(names)) is { } nameError)
            {
                return await RefuseAsync<HostIssuance>(EnrollKind, actor, null, details, 400, "Bad request", nameError, "bad_request", cancellationToken);
            }
            var (keys, keyError) = ValidateKeys(publicKeys);
            if (keys is null)
            {
                return await RefuseAsync<HostIssuance>(EnrollKind, actor, null, details, 400, "Invalid public key", keyError!, "bad_request", cancellationToken);
            }
            details["public_key_fingerprints"] = keys.Select(k => k.Fingerprint).ToList();
            var (ttl, policyVersion, refusal) = await AuthorizeAsync(groups, names!, cancellationToken);
            if (refusal is not null)
            {
                return await RefuseAsync<HostIssuance>(EnrollKind, actor, null, details, 403, "Refused by policy", refusal, "forbidden", cancellationToken);
            }
            details["policy_version"] = policyVersion;
            var hostId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            return await IssueAsync(EnrollKind, actor, hostId, groups, names!, keys, ttl, now, enrolledAt: null, tokenId, details, client, cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            return Unavailable<HostIssuance>(e);
        }
    }

    private (IReadOnlyList<SshPublicKey>? Keys, string? Error) ValidateKeys(IReadOnlyList<string>? publicKeys)
    {
        if (publicKeys is null || publicKeys.Count == 0)
        {
            return (null, "public_keys: give at least one host public key");
        }
        if (publicKeys.Count > MaxPublicKeys)
        {
            return (null, $"public_keys: more than {MaxPublicKeys}");
        }
        var keys = new List<SshPublicKey>();
        foreach (var text in publicKeys)
        {
            var (key, error) = SubjectKeyValidator.Validate(text, HostKeyTypes, cas);
            if (key is null)
            {
                return (null, error!.Replace("public_key:", "public_keys:", StringComparison.Ordinal));
            }
            if (keys.Contains(key))
            {
                return (null, $"public_keys: the key {key.Fingerprint} is listed twice");
            }
            keys.Add(key);
        }
        return (keys, null);
    }

    private async Task<(TimeSpan Ttl, long PolicyVersion, string? Refusal)> AuthorizeAsync(IReadOnlyList<string> groups, IReadOnlyList<string> names,
        CancellationToken cancellationToken)
    {
        var (document, version) = await policies.CurrentAsync(cancellationToken);
        var decision = HostPolicyEvaluator.Evaluate(document, groups, names, options.Value.MaxCertificateLifetime);
        return (decision.Ttl ?? TimeSpan.Zero, version, decision.Refusal);
    }

    private async Task<HostResult<HostIssuance>> IssueAsync(string kind, string actor, string hostId, IReadOnlyList<string> groups, IReadOnlyList<string> names,
        IReadOnlyList<SshPublicKey> keys, TimeSpan ttl, DateTimeOffset now, long? enrolledAt, string tokenId, Dictionary<string, object?> details,
        IPAddress? client, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString("N")[..16];
        // Read once: a rotation between signing and recording must not record another CA than the signer.
        var hostCa = cas.HostCa;
        for (var attempt = 0; ; attempt++)
        {
            var certificates = keys.Select(key => new SshCertificateBuilder
            {
                PublicKey = key,
                Type = SshCertificateType.Host,
                KeyId = $"beacon-host:{hostId}:{names[0]}",
                Principals = names,
                ValidAfter = (ulong)(now - issuance.ClockSkew).ToUnixTimeSeconds(),
                ValidBefore = (ulong)(now + ttl).ToUnixTimeSeconds(),
            }.Sign(hostCa)).ToList();
            var records = certificates.Select(c => new CertificateRecord(
                Serial(c), "host", null, hostId, MetricProvider, c.KeyId, JsonSerializer.Serialize(names), null, c.PublicKey.Fingerprint,
                hostCa.PublicKey.Fingerprint, (long)c.ValidAfter, (long)c.ValidBefore, now.ToUnixTimeMilliseconds(), client?.ToString(),
                requestId, c.ToOpenSshString())).ToList();
            var host = new HostRecord(hostId, JsonSerializer.Serialize(names), JsonSerializer.Serialize(groups), enrolledAt ?? now.ToUnixTimeMilliseconds(),
                enrolledAt is null ? null : now.ToUnixTimeMilliseconds(), (long)certificates[0].ValidBefore, tokenId);
            var audit = new AuditDraft(kind, AuditOutcome.Success, actor, hostId, new Dictionary<string, object?>(details)
            {
                ["request_id"] = requestId,
                ["host_id"] = hostId,
                ["groups"] = groups,
                ["names"] = names,
                ["ca_fingerprint"] = hostCa.PublicKey.Fingerprint,
                ["certificates"] = records.Select(r => new Dictionary<string, object?>
                {
                    ["serial"] = r.Serial,
                    ["key_id"] = r.KeyId,
                    ["public_key_fingerprint"] = r.PublicKeyFingerprint,
                    ["valid_after"] = r.ValidAfter,
                    ["valid_before"] = r.ValidBefore,
                }).ToList(),
            });
            try
            {
                // Durable before returned: no host certificate leaves without its record and audit event.
                await hosts.RecordHostIssuanceAsync(host, records, audit, cancellationToken);
            }
            catch (DuplicateSerialException) when (attempt < 3)
            {
                continue;
            }
            metrics.Issued(MetricProvider, "host");
            logger.LogInformation("{Kind}: host {HostId} names {Names} serials {Serials}", kind, hostId, string.Join(",", names),
                string.Join(",", records.Select(r => r.Serial)));
            return HostResult<HostIssuance>.Ok(new HostIssuance(hostId, groups, certificates));
        }
    }

    private async Task<HostResult<T>> RefuseAsync<T>(string kind, string actor, string? subject, Dictionary<string, object?> details, int status, string title,
        string detail, string metricReason, CancellationToken cancellationToken) where T : class
    {
        metrics.Refused(MetricProvider, metricReason);
        try
        {
            await store.AppendAuditAsync(new AuditDraft(kind, AuditOutcome.Refused, actor, subject, new Dictionary<string, object?>(details)
            {
                ["reason"] = detail,
            }), cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            // The refusal stands either way; only the count of lost audit writes changes.
            metrics.AuditWriteFailed();
        }
        return HostResult<T>.Refused(status, title, detail);
    }

    private HostResult<T> Unavailable<T>(StoreUnavailableException e) where T : class
    {
        metrics.AuditWriteFailed();
        metrics.Refused(MetricProvider, "unavailable");
        logger.LogError("database unavailable, host request refused: {Reason}", e.InnerException?.Message ?? e.Message);
        return HostResult<T>.Refused(503, "Database unavailable", "no host certificate was issued because the database could not be reached; try again shortly");
    }

    private static string HostActor(string hostId) => $"host:{hostId}";

    private static string Serial(SshCertificate certificate) => certificate.Serial.ToString(CultureInfo.InvariantCulture);

    private static string ChallengeHash(byte[] challenge) => Convert.ToHexStringLower(SHA256.HashData(challenge));
}
