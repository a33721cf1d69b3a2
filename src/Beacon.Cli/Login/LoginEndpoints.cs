using System.Net;
using System.Text.Json;
using Beacon.Client;

namespace Beacon.Cli.Login;

/// <summary>Turns a provider as the server describes it (GET /v1/login-config) into device flow endpoints.</summary>
internal static class LoginEndpoints
{
    /// <exception cref="CliException">The provider has no device flow, or its discovery fails.</exception>
    public static async Task<DeviceFlowEndpoints> ResolveAsync(LoginProviderInfo provider, HttpClient http, CancellationToken cancellationToken)
    {
        if (!provider.DeviceFlow || string.IsNullOrEmpty(provider.ClientId))
        {
            throw new CliException($"identity provider \"{provider.Name}\" ({provider.Type}) has no device login configured on the server " +
                $"(Beacon:Providers:{provider.Name}:Login:ClientId)");
        }
        var scopes = string.Join(' ', provider.Scopes ?? []);
        switch (provider.Type)
        {
            case "github":
                return new DeviceFlowEndpoints(Url(provider.DeviceAuthorizationEndpoint, provider.Name), Url(provider.TokenEndpoint, provider.Name),
                    provider.ClientId, scopes.Length > 0 ? [new("scope", scopes)] : []);
            case "oidc":
                var (device, token) = await DiscoverAsync(provider, http, cancellationToken);
                var extra = new List<KeyValuePair<string, string>>();
                if (scopes.Length > 0)
                {
                    extra.Add(new("scope", scopes));
                }
                if (!string.IsNullOrEmpty(provider.Resource))
                {
                    extra.Add(new("resource", provider.Resource));
                }
                if (!string.IsNullOrEmpty(provider.Audience))
                {
                    extra.Add(new("audience", provider.Audience));
                }
                return new DeviceFlowEndpoints(device, token, provider.ClientId, extra);
            default:
                throw new CliException($"identity provider \"{provider.Name}\" is of type {provider.Type}, which has no device login");
        }
    }

    /// <summary>OpenID Connect discovery: the device authorization and token endpoints, from a document that names the expected issuer.</summary>
    private static async Task<(Uri Device, Uri Token)> DiscoverAsync(LoginProviderInfo provider, HttpClient http, CancellationToken cancellationToken)
    {
        var issuer = Url(provider.Issuer, provider.Name);
        var discovery = new Uri(issuer.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");
        string body;
        try
        {
            using var response = await http.GetAsync(discovery, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new CliException($"identity provider \"{provider.Name}\": discovery at {discovery} answered HTTP {(int)response.StatusCode}");
            }
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the identity provider at {issuer.GetLeftPart(UriPartial.Authority)}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the identity provider at {issuer.GetLeftPart(UriPartial.Authority)} did not answer in time");
        }
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            var root = json.RootElement;
            // A document for another issuer is a misconfiguration or an impostor: do not send the user there.
            if (Text(root, "issuer")?.TrimEnd('/') != provider.Issuer!.TrimEnd('/'))
            {
                throw new CliException($"identity provider \"{provider.Name}\": its discovery document names another issuer");
            }
            var device = Text(root, "device_authorization_endpoint")
                ?? throw new CliException($"identity provider \"{provider.Name}\" does not offer the device flow (no device_authorization_endpoint)");
            return (Url(device, provider.Name), Url(Text(root, "token_endpoint"), provider.Name));
        }
        catch (JsonException)
        {
            throw new CliException($"identity provider \"{provider.Name}\": discovery at {discovery} is not JSON");
        }
    }

    /// <summary>An https URL, or http to a loopback address (a provider on this machine, as in tests).</summary>
    private static Uri Url(string? text, string provider)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            throw new CliException($"identity provider \"{provider}\": \"{text}\" is not an https URL");
        }
        return url;
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
