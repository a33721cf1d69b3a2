using System.Net.Http.Headers;
using System.Net.Http.Json;
using Beacon.Ssh;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Client;

// Host certificates (docs/trust-protocol.md, "Host certificates"): enrollment with a one-time token,
// renewal by proving possession of the current certificate's key.
public sealed partial class BeaconClient
{
    /// <summary>The SSHSIG namespace of a renewal signature (ssh-keygen -Y sign -n).</summary>
    public const string HostRenewSignatureNamespace = "beacon-host-renew@beaconssh";

    /// <summary>Sanity bound: the challenge is 32 bytes.</summary>
    private const int ChallengeBytes = 32;

    /// <summary>Enrolls a host: one host certificate per public key, with the names as principals.</summary>
    /// <param name="token">The one-time enrollment token (beacon-host-…); used up by this call whatever its outcome.</param>
    /// <exception cref="BeaconApiException">Refused (401 token unknown, used or expired; 400; 403 by policy…), unreachable, or an answer that does not certify the keys sent.</exception>
    public async Task<HostEnrollment> EnrollHostAsync(string token, IReadOnlyList<string> names, IReadOnlyList<SshPublicKey> publicKeys,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(publicKeys);
        var body = new { names, public_keys = publicKeys.Select(k => k.ToOpenSshString()).ToList() };
        using var message = new HttpRequestMessage(HttpMethod.Post, "v1/hosts/enroll") { Content = JsonContent.Create(body, options: Json) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return ToEnrollment(await SendAsync<HostEnrollmentBody>(message, cancellationToken), publicKeys);
    }

    /// <summary>Step one of a renewal: a single-use challenge bound to the current certificate, valid 60 seconds.</summary>
    /// <exception cref="BeaconApiException">Refused (403: not from a trusted host CA, expired, revoked, unknown), unreachable, or a malformed answer.</exception>
    public async Task<HostRenewalChallenge> GetHostRenewalChallengeAsync(SshCertificate current, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        using var message = new HttpRequestMessage(HttpMethod.Post, "v1/hosts/renew/challenge")
        {
            Content = JsonContent.Create(new { certificate = current.ToOpenSshString() }, options: Json),
        };
        var response = await SendAsync<HostChallengeBody>(message, cancellationToken);
        byte[] challenge;
        try
        {
            challenge = Convert.FromBase64String(response.Challenge ?? "");
        }
        catch (FormatException e)
        {
            throw new BeaconApiException(0, "Malformed challenge", "the challenge is not base64", e);
        }
        if (challenge.Length != ChallengeBytes)
        {
            throw new BeaconApiException(0, "Malformed challenge", $"the challenge is {challenge.Length} bytes, not {ChallengeBytes}");
        }
        return new HostRenewalChallenge(challenge, response.ExpiresAt);
    }

    /// <summary>
    /// Step two: renews with the challenge signed by the current certificate's own key (an armored SSHSIG
    /// in namespace <see cref="HostRenewSignatureNamespace"/> over the challenge's raw bytes).
    /// </summary>
    /// <exception cref="BeaconApiException">Refused (403: the challenge unknown, used, expired or for another certificate; a bad signature; …), unreachable, or an answer that does not certify the same key.</exception>
    public async Task<HostEnrollment> RenewHostAsync(SshCertificate current, HostRenewalChallenge challenge, string armoredSignature,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(armoredSignature);
        var body = new { certificate = current.ToOpenSshString(), challenge = Convert.ToBase64String(challenge.Challenge), signature = armoredSignature };
        using var message = new HttpRequestMessage(HttpMethod.Post, "v1/hosts/renew") { Content = JsonContent.Create(body, options: Json) };
        return ToEnrollment(await SendAsync<HostEnrollmentBody>(message, cancellationToken), [current.PublicKey]);
    }

    private static HostEnrollment ToEnrollment(HostEnrollmentBody body, IReadOnlyList<SshPublicKey> keys)
    {
        if (body.HostId is null || body.Groups is null || body.Certificates is null || body.Certificates.Count != keys.Count)
        {
            throw new BeaconApiException(0, "Malformed response", $"expected a host id, groups and {keys.Count} certificate(s)");
        }
        var issued = new List<IssuedHostCertificate>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            SshCertificate certificate;
            try
            {
                certificate = SshCertificateParser.ParseLine(body.Certificates[i].Certificate ?? "");
            }
            catch (SshFormatException e)
            {
                throw new BeaconApiException(0, "Malformed certificate", e.Message, e);
            }
            // The server must have certified exactly the keys we sent, in order, as host certificates.
            if (!certificate.PublicKey.Equals(keys[i]) || certificate.Type != SshCertificateType.Host)
            {
                throw new BeaconApiException(0, "Wrong certificate", $"the server returned something other than a host certificate for {keys[i].Fingerprint}");
            }
            issued.Add(new IssuedHostCertificate(certificate, certificate.ValidAfterTime, certificate.ValidBeforeTime));
        }
        return new HostEnrollment(body.HostId, body.Groups, issued);
    }

    private sealed record HostEnrollmentBody(string? HostId, List<string>? Groups, List<HostCertificateBody>? Certificates);

    private sealed record HostCertificateBody(string? Certificate, string? Serial, DateTimeOffset ValidAfter, DateTimeOffset ValidBefore);

    private sealed record HostChallengeBody(string? Challenge, DateTimeOffset ExpiresAt);
}
