using Beacon.Client;
using Beacon.Server.Hosting;

namespace Beacon.Server.Api;

/// <summary>
/// GET /v1/login-config (public): which identity providers the server accepts and how the user CLI logs in
/// with each (DESIGN flow 1). Only public parameters: provider types, issuers, endpoints, the CLI's public
/// client id, scopes, resource and audiences. No client secret, no token, nothing about users.
/// </summary>
public static class LoginConfigEndpoints
{
    public static IEndpointRouteBuilder MapLoginConfigEndpoints(this IEndpointRouteBuilder app)
    {
        // Read once: the configuration is fixed for the process's life, as the providers built from it are.
        var document = Build(app.ServiceProvider.GetRequiredService<IConfiguration>());
        app.MapGet("/v1/login-config", () => Results.Json(document, ApiJson.Options));
        return app;
    }

    internal static LoginConfig Build(IConfiguration configuration)
    {
        var providers = new List<LoginProviderInfo>();
        foreach (var section in configuration.GetSection($"{BeaconServerOptions.Section}:Providers").GetChildren().OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var provider = section.Get<ProviderOptions>() ?? new ProviderOptions();
            var login = section.GetSection(LoginOptions.Section).Get<LoginOptions>() ?? new LoginOptions();
            providers.Add(Describe(section.Key, provider, login));
        }
        return new LoginConfig(providers);
    }

    private static LoginProviderInfo Describe(string name, ProviderOptions provider, LoginOptions login)
    {
        var type = provider.Type.ToLowerInvariant();
        return type switch
        {
            "oidc" => new LoginProviderInfo(name, type)
            {
                Issuer = provider.Issuer,
                ClientId = login.ClientId,
                Scopes = login.Scopes.Count > 0 ? login.Scopes : ["openid", "profile", "email"],
                Resource = login.Resource,
                Audience = login.Audience,
                DeviceFlow = !string.IsNullOrEmpty(login.ClientId),
            },
            "github" => GitHub(name, login),
            // CI workload tokens: the audience a job asks its issuer for is public, and beacon cert needs it.
            "jwt" => new LoginProviderInfo(name, type) { Issuer = provider.Issuer, Audiences = provider.Audiences },
            _ => new LoginProviderInfo(name, type),
        };
    }

    private static LoginProviderInfo GitHub(string name, LoginOptions login)
    {
        var web = (string.IsNullOrEmpty(login.WebUrl) ? "https://github.com" : login.WebUrl).TrimEnd('/');
        return new LoginProviderInfo(name, "github")
        {
            ClientId = login.ClientId,
            Scopes = login.Scopes.Count > 0 ? login.Scopes : ["read:org"],
            DeviceAuthorizationEndpoint = web + "/login/device/code",
            TokenEndpoint = web + "/login/oauth/access_token",
            DeviceFlow = !string.IsNullOrEmpty(login.ClientId),
        };
    }
}
