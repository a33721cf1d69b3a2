using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Server.Identity;

/// <summary>
/// The issuer's signing keys and endpoints: OpenID discovery (ISSUER/.well-known/openid-configuration)
/// or a bare JWKS URL. Keys are cached and refreshed by the metadata manager, which is allowed: keys
/// are public. Tokens are never cached.
/// </summary>
public sealed class SigningKeySource
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;

    public SigningKeySource(string metadataAddress, bool isJwksOnly, bool allowHttp, HttpClient http)
    {
        var retriever = new HttpDocumentRetriever(http) { RequireHttps = !allowHttp };
        IConfigurationRetriever<OpenIdConnectConfiguration> parser = isJwksOnly ? new JwksRetriever() : new OpenIdConnectConfigurationRetriever();
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(metadataAddress, parser, retriever)
        {
            AutomaticRefreshInterval = TimeSpan.FromHours(1),
            // After a signature failure the caller may ask again, but not more often than this.
            RefreshInterval = TimeSpan.FromSeconds(30),
        };
    }

    public static SigningKeySource ForIssuer(string issuer, bool allowHttp, HttpClient http) =>
        new(issuer.TrimEnd('/') + "/.well-known/openid-configuration", isJwksOnly: false, allowHttp, http);

    public static SigningKeySource ForJwks(string jwksUrl, bool allowHttp, HttpClient http) => new(jwksUrl, isJwksOnly: true, allowHttp, http);

    /// <exception cref="InvalidOperationException">The metadata could not be fetched or parsed.</exception>
    public Task<OpenIdConnectConfiguration> GetAsync(CancellationToken cancellationToken) => _metadata.GetConfigurationAsync(cancellationToken);

    /// <summary>Asks for fresh keys on the next call (after a token signed by an unknown key: the issuer may have rotated).</summary>
    public void RequestRefresh() => _metadata.RequestRefresh();

    /// <summary>Reads a bare JWKS document into a configuration holding only its keys.</summary>
    private sealed class JwksRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var json = await retriever.GetDocumentAsync(address, cancel);
            var configuration = new OpenIdConnectConfiguration();
            foreach (var key in new JsonWebKeySet(json).GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }
            return configuration;
        }
    }
}
