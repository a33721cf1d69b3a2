using Beacon.Server.Hosting;
using Beacon.Server.Storage;

namespace Beacon.Server.Identity;

/// <summary>Creates the configured providers; a new provider type is a new file and one line here.</summary>
public sealed class IdentityProviderFactory(IBeaconStore store, TimeProvider clock, IHttpClientFactory httpClients)
{
    public IIdentityProvider Create(string name, ProviderOptions options) => options.Type switch
    {
        "token" => new OneTimeTokenProvider(name, store, clock),
        "oidc" => new OidcProvider(name, options, httpClients.CreateClient($"provider:{name}")),
        "jwt" => new JwtProvider(name, options, httpClients.CreateClient($"provider:{name}")),
        "github" => new GitHubProvider(name, options, httpClients.CreateClient($"provider:{name}")),
        _ => throw new InvalidOperationException($"identity provider \"{name}\": unknown type \"{options.Type}\" (token, github, oidc or jwt)"),
    };
}
