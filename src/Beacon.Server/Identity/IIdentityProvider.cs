namespace Beacon.Server.Identity;

/// <summary>
/// Checks a bearer token with its identity provider on every request. Implementations keep no token
/// cache of any kind (signing keys may be cached, tokens never), so a token revoked at the provider
/// fails on the very next request.
/// </summary>
public interface IIdentityProvider
{
    /// <summary>The name it is configured under, e.g. "github" or "corp-oidc".</summary>
    string Name { get; }

    /// <summary>The provider type: token, github, oidc or jwt.</summary>
    string Type { get; }

    /// <summary>Whether a token of this shape could be this provider's (used when the caller names no provider).</summary>
    bool Claims(string token);

    Task<AuthenticationResult> AuthenticateAsync(string token, AuthenticationContext context, CancellationToken cancellationToken);
}
