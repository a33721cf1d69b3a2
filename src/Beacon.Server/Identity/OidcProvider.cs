using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Beacon.Server.Hosting;

namespace Beacon.Server.Identity;

/// <summary>
/// An OpenID Connect provider, found by discovery. Each request is checked either locally (a JWT access
/// token against the provider's keys: fast, for volume) or remotely (userinfo or RFC 7662
/// introspection: a token revoked at the provider fails on the very next request).
/// </summary>
public sealed class OidcProvider : IIdentityProvider
{
    /// <summary>Sanity bound, not in any spec: the largest userinfo or introspection response read.</summary>
    private const int MaxResponseBytes = 64 * 1024;

    private readonly ProviderOptions _options;
    private readonly HttpClient _http;
    private readonly SigningKeySource _keys;
    private readonly JwtAccessTokenValidator _validator;

    public OidcProvider(string name, ProviderOptions options, HttpClient http)
    {
        if (string.IsNullOrEmpty(options.Issuer))
        {
            throw new InvalidOperationException($"identity provider \"{name}\": oidc needs an Issuer");
        }
        if (options.Validation is not ("local" or "userinfo" or "introspection"))
        {
            throw new InvalidOperationException($"identity provider \"{name}\": Validation must be local, userinfo or introspection");
        }
        if (options.Validation == "local" && options.Audiences.Count == 0)
        {
            // Without a bound audience, a token the provider minted for any other client would be accepted.
            throw new InvalidOperationException($"identity provider \"{name}\": local validation needs at least one audience");
        }
        if (options.Validation == "introspection" && (string.IsNullOrEmpty(options.ClientId) || string.IsNullOrEmpty(options.ClientSecret)))
        {
            throw new InvalidOperationException($"identity provider \"{name}\": introspection needs ClientId and ClientSecret");
        }
        Name = name;
        _options = options;
        _http = http;
        _keys = SigningKeySource.ForIssuer(options.Issuer, options.AllowHttp, http);
        _validator = new JwtAccessTokenValidator(_keys, options.Issuer, options.Audiences);
    }

    public string Name { get; }

    public string Type => "oidc";

    public bool Claims(string token) =>
        TokenShape.UnverifiedIssuer(token) == _options.Issuer
        || (_options.Validation != "local" && !token.Contains('.') && !TokenShape.HasKnownForeignPrefix(token));

    public async Task<AuthenticationResult> AuthenticateAsync(string token, AuthenticationContext context, CancellationToken cancellationToken)
    {
        if (_options.Validation == "local")
        {
            var (jwt, failure) = await _validator.ValidateAsync(token, cancellationToken);
            if (jwt is null)
            {
                return failure!;
            }
            var claims = ClaimMapping.StringClaims(jwt);
            return Identity(claims, ClaimMapping.Values(jwt, _options.GroupsClaim));
        }
        try
        {
            var metadata = await _keys.GetAsync(cancellationToken);
            // A discovery document naming another issuer is a misconfiguration or an impostor: ask it nothing.
            if (!string.Equals(metadata.Issuer?.TrimEnd('/'), _options.Issuer!.TrimEnd('/'), StringComparison.Ordinal))
            {
                return AuthenticationResult.Unavailable($"identity provider \"{Name}\": its discovery document names another issuer");
            }
            return _options.Validation == "userinfo"
                ? await UserinfoAsync(metadata.UserInfoEndpoint, token, cancellationToken)
                : await IntrospectAsync(metadata.IntrospectionEndpoint, token, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidOperationException or JsonException)
        {
            return AuthenticationResult.Unavailable($"identity provider \"{Name}\" could not be asked: {e.Message}");
        }
    }

    private async Task<AuthenticationResult> UserinfoAsync(string? endpoint, string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(endpoint))
        {
            return AuthenticationResult.Unavailable($"identity provider \"{Name}\" publishes no userinfo endpoint");
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return AuthenticationResult.Invalid("the identity provider does not accept the token (expired or revoked)");
        }
        if (!response.IsSuccessStatusCode)
        {
            return AuthenticationResult.Unavailable($"the identity provider's userinfo answered {(int)response.StatusCode}");
        }
        using var document = await ReadJsonAsync(response, cancellationToken);
        var (claims, groups) = ClaimMapping.FromJson(document.RootElement, _options.GroupsClaim);
        return Identity(claims, groups);
    }

    private async Task<AuthenticationResult> IntrospectAsync(string? endpoint, string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(endpoint))
        {
            return AuthenticationResult.Unavailable($"identity provider \"{Name}\" publishes no introspection endpoint");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent([new("token", token), new("token_type_hint", "access_token")]),
        };
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(_options.ClientId!)}:{Uri.EscapeDataString(_options.ClientSecret!)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return AuthenticationResult.Unavailable($"the identity provider's introspection answered {(int)response.StatusCode}");
        }
        using var document = await ReadJsonAsync(response, cancellationToken);
        var root = document.RootElement;
        // RFC 7662: anything but "active": true means the token is not usable (expired, revoked, unknown).
        if (!root.TryGetProperty("active", out var active) || active.ValueKind != JsonValueKind.True)
        {
            return AuthenticationResult.Invalid("the identity provider reports the token inactive (expired or revoked)");
        }
        if (_options.Audiences.Count > 0 && !AudienceMatches(root))
        {
            return AuthenticationResult.Invalid("the token is for another audience");
        }
        var (claims, groups) = ClaimMapping.FromJson(root, _options.GroupsClaim);
        return Identity(claims, groups);
    }

    private bool AudienceMatches(JsonElement root) =>
        root.TryGetProperty("aud", out var aud) && (aud.ValueKind == JsonValueKind.String
            ? _options.Audiences.Contains(aud.GetString()!)
            : aud.ValueKind == JsonValueKind.Array && aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && _options.Audiences.Contains(a.GetString()!)));

    private AuthenticationResult Identity(Dictionary<string, string> claims, List<string> groups)
    {
        var subject = claims.GetValueOrDefault("sub");
        var username = ClaimMapping.Username(claims, _options.UsernameClaim);
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(username))
        {
            return AuthenticationResult.Invalid($"the token names no subject or no {_options.UsernameClaim ?? "preferred_username"}");
        }
        return AuthenticationResult.Success(new AuthenticatedIdentity(Name, subject, username, claims.GetValueOrDefault(_options.EmailClaim), groups, claims));
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new InvalidOperationException("the identity provider's response is too large");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new InvalidOperationException("the identity provider's response is too large");
            }
            buffer.Write(chunk, 0, read);
        }
        return JsonDocument.Parse(buffer.ToArray());
    }
}
