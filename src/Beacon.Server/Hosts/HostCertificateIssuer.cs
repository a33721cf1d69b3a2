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
public sealed class HostCertificateIssuer(
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

    /// <summary>Step one of a renewal: a fresh challenge bound to a certificate that could be renewed now.</summary>
    public async Task<HostResult<HostChallenge>> ChallengeAsync(string? certificateText, IPAddress? client, CancellationToken cancellationToken)
    {
        var details = new Dictionary<string, object?> { ["step"] = "challenge", ["client_address"] = client?.ToString() };
        try
        {
            var (current, _, _, refused) = await CheckCurrentAsync(certificateText, details, cancellationToken);
            if (refused is not null)
            {
                return await RefuseAsync<HostChallenge>(RenewKind, refused.Value.Actor, refused.Value.Subject, details, refused.Value.Status,
                    refused.Value.Title, refused.Value.Detail, refused.Value.Metric, cancellationToken);
            }
            var challenge = RandomNumberGenerator.GetBytes(ChallengeBytes);
            var now = clock.GetUtcNow();
            var expires = now + HostOptions.ChallengeLifetime;
            await hosts.CreateRenewalChallengeAsync(new HostChallengeRecord(ChallengeHash(challenge), Serial(current!), now.ToUnixTimeMilliseconds(),
                expires.ToUnixTimeMilliseconds()), cancellationToken);
            return HostResult<HostChallenge>.Ok(new HostChallenge(challenge, expires));
        }
        catch (StoreUnavailableException e)
        {
            return Unavailable<HostChallenge>(e);
        }
    }

    /// <summary>Step two: the challenge signed with the certificate's own key; a new certificate for the same key, names and groups.</summary>
    public async Task<HostResult<HostIssuance>> RenewAsync(string? certificateText, string? challengeText, string? signatureText, IPAddress? client,
        CancellationToken cancellationToken)
    {
        var details = new Dictionary<string, object?> { ["step"] = "renew", ["client_address"] = client?.ToString() };
        try
        {
            var (current, record, host, refused) = await CheckCurrentAsync(certificateText, details, cancellationToken);
            if (refused is { } r)
            {
                return await RefuseAsync<HostIssuance>(RenewKind, r.Actor, r.Subject, details, r.Status, r.Title, r.Detail, r.Metric, cancellationToken);
            }
            var actor = HostActor(host!.Id);
            byte[] challenge;
            try
            {
                challenge = Convert.FromBase64String(challengeText ?? "");
            }
            catch (FormatException)
            {
                challenge = [];
            }
            if (challenge.Length != ChallengeBytes)
            {
                return await RefuseAsync<HostIssuance>(RenewKind, actor, host.Id, details, 400, "Bad request",
                    $"challenge: the base64 of the {ChallengeBytes} bytes POST /v1/hosts/renew/challenge returned", "bad_request", cancellationToken);
            }
            var now = clock.GetUtcNow();
            var (stored, failure) = await hosts.ConsumeRenewalChallengeAsync(ChallengeHash(challenge), now.ToUnixTimeMilliseconds(), cancellationToken);
            if (stored is null)
            {
                var why = failure switch
                {
                    OneTimeUseFailure.Used => "the challenge was already used; ask for a new one",
                    OneTimeUseFailure.Expired => $"the challenge has expired (it is valid for {HostOptions.ChallengeLifetime.TotalSeconds:0} seconds); ask for a new one",
                    _ => "the challenge is unknown; ask for one at POST /v1/hosts/renew/challenge",
                };
                return await RefuseAsync<HostIssuance>(RenewKind, actor, host.Id, details, 403, "Forbidden", why, "forbidden", cancellationToken);
            }
            // A challenge answers for the one certificate it was issued for: a host cannot renew with another's.
            if (stored.Serial != record!.Serial)
            {
                return await RefuseAsync<HostIssuance>(RenewKind, actor, host.Id, details, 403, "Forbidden",
                    $"the challenge was issued for another certificate, not serial {record.Serial}", "forbidden", cancellationToken);
            }
            if (!VerifySignature(signatureText, challenge, current!.PublicKey, out var signatureError))
            {
                return await RefuseAsync<HostIssuance>(RenewKind, actor, host.Id, details, 403, "Forbidden", signatureError, "forbidden", cancellationToken);
            }
            var groups = JsonSerializer.Deserialize<List<string>>(host.HostGroups) ?? [];
            var names = JsonSerializer.Deserialize<List<string>>(host.HostNames) ?? [];
            // The policy is asked again: a name the policy no longer allows is not renewed.
            var (ttl, policyVersion, refusal) = await AuthorizeAsync(groups, names, cancellationToken);
            if (refusal is not null)
            {
                return await RefuseAsync<HostIssuance>(RenewKind, actor, host.Id, details, 403, "Refused by policy", refusal, "forbidden", cancellationToken);
            }
            details["policy_version"] = policyVersion;
            details["previous_serial"] = record.Serial;
            return await IssueAsync(RenewKind, actor, host.Id, groups, names, [current.PublicKey], ttl, now, host.EnrolledAt, host.TokenId, details, client, cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            return Unavailable<HostIssuance>(e);
        }
    }

    private readonly record struct Refusal(string Actor, string? Subject, int Status, string Title, string Detail, string Metric);

    /// <summary>
    /// The presented certificate may be renewed only when it is a host certificate signed by a trusted host
    /// CA key, unexpired, the very certificate the server issued to a known host, and revoked neither by serial nor by key.
    /// </summary>
    private async Task<(SshCertificate? Certificate, CertificateRecord? Record, HostRecord? Host, Refusal? Refused)> CheckCurrentAsync(
        string? text, Dictionary<string, object?> details, CancellationToken cancellationToken)
    {
        const string anonymous = "host:unknown";
        SshCertificate certificate;
        try
        {
            if (string.IsNullOrWhiteSpace(text) || text.Length > SshPublicKeyParser.MaxLineLength)
            {
                return (null, null, null, new Refusal(anonymous, null, 400, "Bad request", "certificate: give the current host certificate line", "bad_request"));
            }
            certificate = SshCertificateParser.ParseLine(text.Trim());
        }
        catch (SshFormatException e)
        {
            return (null, null, null, new Refusal(anonymous, null, 400, "Bad request", $"certificate: {e.Message}", "bad_request"));
        }
        var serial = Serial(certificate);
        details["serial"] = serial;
        details["key_id"] = certificate.KeyId;
        details["public_key_fingerprint"] = certificate.PublicKey.Fingerprint;
        if (new SshCertificateValidator(clock).Check(certificate, cas.Trusted(CaKind.Host), SshCertificateType.Host, null) is { } invalid)
        {
            return (null, null, null, new Refusal(anonymous, serial, 403, "Forbidden", $"certificate {serial}: {invalid}", "forbidden"));
        }
        var record = await hosts.FindCertificateAsync(serial, cancellationToken);
        // The exact certificate we issued and recorded: a certificate signed outside the server (the offline CA) is not renewed here.
        if (record is null || record.CertType != "host" || record.Certificate != certificate.ToOpenSshString())
        {
            return (null, null, null, new Refusal(anonymous, serial, 403, "Forbidden", $"certificate {serial} is unknown to the server", "forbidden"));
        }
        var host = await hosts.FindHostAsync(record.Username, cancellationToken);
        if (host is null)
        {
            return (null, null, null, new Refusal(anonymous, serial, 403, "Forbidden", $"certificate {serial} names a host unknown to the server", "forbidden"));
        }
        details["host_id"] = host.Id;
        if (record.RevokedAt is not null)
        {
            return (null, null, null, new Refusal(HostActor(host.Id), host.Id, 403, "Forbidden", $"certificate {serial} is revoked", "forbidden"));
        }
        if (await hosts.IsKeyRevokedAsync(certificate.PublicKey.Fingerprint, cancellationToken))
        {
            return (null, null, null, new Refusal(HostActor(host.Id), host.Id, 403, "Forbidden",
                $"the key {certificate.PublicKey.Fingerprint} of certificate {serial} is revoked", "forbidden"));
        }
        return (certificate, record, host, null);
    }

    private static bool VerifySignature(string? armored, byte[] challenge, SshPublicKey key, out string error)
    {
        if (string.IsNullOrWhiteSpace(armored))
        {
            error = "signature: give the armored SSHSIG over the challenge";
            return false;
        }
        try
        {
            var signature = Ssh.SshSig.SshSigParser.ParseArmored(armored);
            // Only the certified key may answer, under our namespace: a signature made for a file or a git commit does not count.
            if (Ssh.SshSig.SshSigVerifier.Verify(signature, challenge, RenewSignatureNamespace, key))
            {
                error = "";
                return true;
            }
            error = $"the signature does not verify with the certificate's key {key.Fingerprint} over the challenge in namespace {RenewSignatureNamespace}";
            return false;
        }
        catch (SshFormatException e)
        {
            error = $"signature: {e.Message}";
            return false;
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
            }.Sign(cas.HostCa)).ToList();
            var records = certificates.Select(c => new CertificateRecord(
                Serial(c), "host", null, hostId, MetricProvider, c.KeyId, JsonSerializer.Serialize(names), null, c.PublicKey.Fingerprint,
                cas.HostCa.PublicKey.Fingerprint, (long)c.ValidAfter, (long)c.ValidBefore, now.ToUnixTimeMilliseconds(), client?.ToString(),
                requestId, c.ToOpenSshString())).ToList();
            var host = new HostRecord(hostId, JsonSerializer.Serialize(names), JsonSerializer.Serialize(groups), enrolledAt ?? now.ToUnixTimeMilliseconds(),
                enrolledAt is null ? null : now.ToUnixTimeMilliseconds(), (long)certificates[0].ValidBefore, tokenId);
            var audit = new AuditDraft(kind, AuditOutcome.Success, actor, hostId, new Dictionary<string, object?>(details)
            {
                ["request_id"] = requestId,
                ["host_id"] = hostId,
                ["groups"] = groups,
                ["names"] = names,
                ["ca_fingerprint"] = cas.HostCa.PublicKey.Fingerprint,
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
