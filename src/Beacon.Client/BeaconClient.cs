using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Beacon.Ssh;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Client;

/// <summary>
/// A typed client for beacon-server's API, for CLIs and for backends acting for a logged-in user (DESIGN
/// flow 9): the caller's own identity-provider token goes with each request; nothing is kept between calls.
/// </summary>
public sealed partial class BeaconClient : IDisposable
{
    /// <summary>Sanity bound: the largest response body read.</summary>
    private const int MaxResponseBytes = 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;

    /// <summary>A client pinned to the server's TLS certificate fingerprint.</summary>
    public BeaconClient(Uri server, string tlsFingerprint, TimeSpan? timeout = null)
        : this(new HttpClient(PinnedTls.CreateHandler(tlsFingerprint)) { BaseAddress = server, Timeout = timeout ?? TimeSpan.FromSeconds(30) })
    {
    }

    /// <summary>A client over an HttpClient the caller configured (its BaseAddress is the server).</summary>
    public BeaconClient(HttpClient http)
    {
        _http = http;
        _http.MaxResponseContentBufferSize = MaxResponseBytes;
    }

    /// <summary>Requests a user certificate for a key with the caller's token.</summary>
    /// <param name="provider">Names the identity provider (Beacon-Provider header) when the token's shape does not.</param>
    /// <exception cref="BeaconApiException">Refused (401, 403, 400, 429, 503…) or unreachable.</exception>
    public async Task<IssuedCertificate> RequestUserCertificateAsync(string token, CertificateRequest request, string? provider = null, CancellationToken cancellationToken = default)
    {
        var body = new
        {
            public_key = request.PublicKey.ToOpenSshString(),
            principals = request.Principals,
            host_group = request.HostGroup,
            ttl = request.Ttl,
            extensions = request.Extensions,
            critical_options = request.CriticalOptions,
        };
        using var message = new HttpRequestMessage(HttpMethod.Post, "v1/certificates/user") { Content = JsonContent.Create(body, options: Json) };
        Authorize(message, token, provider);
        var response = await SendAsync<IssuedCertificateBody>(message, cancellationToken);
        SshCertificate certificate;
        try
        {
            certificate = SshCertificateParser.ParseLine(response.Certificate);
        }
        catch (SshFormatException e)
        {
            throw new BeaconApiException(0, "Malformed certificate", e.Message, e);
        }
        // The server must have certified our key, not another: refuse anything else.
        if (!certificate.PublicKey.Equals(request.PublicKey))
        {
            throw new BeaconApiException(0, "Wrong certificate", "the server returned a certificate for another key");
        }
        return new IssuedCertificate(certificate, response.Serial, response.KeyId, DateTimeOffset.FromUnixTimeSeconds(response.ValidAfter),
            DateTimeOffset.FromUnixTimeSeconds(response.ValidBefore), response.Principals);
    }

    /// <summary>Who the token says its holder is.</summary>
    public async Task<BeaconIdentity> GetMeAsync(string token, string? provider = null, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "v1/me");
        Authorize(message, token, provider);
        var me = await SendAsync<MeBody>(message, cancellationToken);
        return new BeaconIdentity(me.Provider, me.Subject, me.Username, me.Email, me.Groups, me.PolicyVersion);
    }

    /// <summary>The user CA's public key (what hosts put in TrustedUserCAKeys).</summary>
    public async Task<SshPublicKey> GetUserCaAsync(CancellationToken cancellationToken = default) =>
        ParseKey(await GetTextAsync("v1/trust/user-ca.pub", cancellationToken));

    /// <summary>The host CA's public key (what users trust hosts by).</summary>
    public async Task<SshPublicKey> GetHostCaAsync(CancellationToken cancellationToken = default) =>
        ParseKey(await GetTextAsync("v1/trust/host-ca.pub", cancellationToken));

    private static SshPublicKey ParseKey(string text)
    {
        try
        {
            return SshPublicKeyParser.ParseLine(text.Trim());
        }
        catch (SshFormatException e)
        {
            throw new BeaconApiException(0, "Malformed key", e.Message, e);
        }
    }

    private async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendRawAsync(message, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(message, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                ?? throw new BeaconApiException((int)response.StatusCode, "Empty response", "the server sent no body");
        }
        catch (JsonException e)
        {
            throw new BeaconApiException((int)response.StatusCode, "Malformed response", e.Message, e);
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new BeaconApiException(0, "Server unreachable", $"{_http.BaseAddress}: {e.Message} (is the TLS fingerprint right?)", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BeaconApiException(0, "Server did not answer", $"{_http.BaseAddress}: timed out", e);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var (title, detail) = await ReadProblemAsync(response, cancellationToken);
            throw new BeaconApiException((int)response.StatusCode, title, detail)
            {
                RetryAfter = response.Headers.RetryAfter?.Delta,
            };
        }
    }

    private static async Task<(string Title, string Detail)> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemBody>(Json, cancellationToken);
            return (problem?.Title ?? response.ReasonPhrase ?? "Error", problem?.Detail ?? "");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return (response.ReasonPhrase ?? "Error", $"HTTP {(int)response.StatusCode}");
        }
    }

    private static void Authorize(HttpRequestMessage message, string token, string? provider)
    {
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (provider is not null)
        {
            message.Headers.Add("Beacon-Provider", provider);
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed record IssuedCertificateBody(string Certificate, string Serial, string KeyId, long ValidAfter, long ValidBefore, List<string> Principals);

    private sealed record MeBody(string Provider, string Subject, string Username, string? Email, List<string> Groups, long PolicyVersion);

    private sealed record ProblemBody(string? Title, string? Detail, int? Status);
}
