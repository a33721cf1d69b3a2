using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Beacon.Server.Ca;
using Beacon.Server.Storage;
using Beacon.Ssh;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Hosts;

// Renewal: a challenge for a certificate that could be renewed now, then the challenge signed with its key.
public sealed partial class HostCertificateIssuer
{
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
}
