using System.Net;
using System.Text.Json;
using Beacon.Server.Hosts;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.SshSig;
using Beacon.Server.Tests.Fixtures;

namespace Beacon.Server.Tests.Hosts;

/// <summary>Calls of the host API from a test, with the answers parsed.</summary>
public static class HostApi
{
    public sealed record Enrolled(string HostId, IReadOnlyList<string> Groups, IReadOnlyList<SshCertificate> Certificates, JsonElement Json);

    public static async Task<(HttpStatusCode Status, string Body)> EnrollRawAsync(this HttpClient client, string? token, IEnumerable<string> names,
        params SshPublicKey[] keys)
    {
        using var response = await client.PostAsync("/v1/hosts/enroll", token, new { names, public_keys = keys.Select(k => k.ToOpenSshString()).ToArray() });
        return (response.StatusCode, await BodyOrDetailAsync(response));
    }

    public static async Task<Enrolled> EnrollAsync(this HttpClient client, string token, IEnumerable<string> names, params SshPublicKey[] keys)
    {
        var (status, body) = await client.EnrollRawAsync(token, names, keys);
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}");
        return Parse(body);
    }

    /// <summary>The body of a success; the problem's detail (unescaped) of a failure.</summary>
    public static async Task<string> BodyOrDetailAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode)
        {
            return body;
        }
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString() ?? body;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body;
        }
    }

    public static Enrolled Parse(string body)
    {
        var json = JsonDocument.Parse(body).RootElement.Clone();
        return new Enrolled(
            json.GetProperty("host_id").GetString()!,
            json.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!).ToList(),
            json.GetProperty("certificates").EnumerateArray().Select(c => SshCertificateParser.ParseLine(c.GetProperty("certificate").GetString()!)).ToList(),
            json);
    }

    public static async Task<(HttpStatusCode Status, string Body, byte[]? Challenge)> ChallengeAsync(this HttpClient client, SshCertificate certificate)
    {
        using var response = await client.PostAsync("/v1/hosts/renew/challenge", null, new { certificate = certificate.ToOpenSshString() });
        var body = await BodyOrDetailAsync(response);
        return response.StatusCode == HttpStatusCode.OK
            ? (response.StatusCode, body, Convert.FromBase64String(JsonDocument.Parse(body).RootElement.GetProperty("challenge").GetString()!))
            : (response.StatusCode, body, null);
    }

    public static string Sign(SshPrivateKey key, byte[] challenge, string @namespace = HostCertificateIssuer.RenewSignatureNamespace) =>
        SshSigSigner.Sign(key, challenge, @namespace).ToArmored();

    public static async Task<(HttpStatusCode Status, string Body)> RenewRawAsync(this HttpClient client, SshCertificate certificate, byte[] challenge, string signature)
    {
        using var response = await client.PostAsync("/v1/hosts/renew", null, new
        {
            certificate = certificate.ToOpenSshString(),
            challenge = Convert.ToBase64String(challenge),
            signature,
        });
        return (response.StatusCode, await BodyOrDetailAsync(response));
    }

    /// <summary>Both renewal steps with the right key; asserts success.</summary>
    public static async Task<Enrolled> RenewAsync(this HttpClient client, SshCertificate certificate, SshPrivateKey key)
    {
        var (status, body, challenge) = await client.ChallengeAsync(certificate);
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}");
        var (renewStatus, renewBody) = await client.RenewRawAsync(certificate, challenge!, Sign(key, challenge!));
        Assert.True(renewStatus == HttpStatusCode.OK, $"{(int)renewStatus} {renewBody}");
        return Parse(renewBody);
    }
}
