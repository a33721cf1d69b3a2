namespace Beacon.Server.Hosting;

/// <summary>
/// How the user CLI logs in with one identity provider: section Beacon:Providers:NAME:Login. Everything
/// here is public (it is served at GET /v1/login-config): the public client id of the CLI's OAuth app,
/// never a secret.
/// </summary>
public sealed class LoginOptions
{
    public const string Section = "Login";

    /// <summary>The public OAuth client the CLI's device flow uses (oidc: registered with the provider; github: the OAuth app's client id).</summary>
    public string? ClientId { get; set; }

    /// <summary>Scopes to ask for; oidc default "openid profile email", github default "read:org".</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>oidc: an RFC 8707 resource indicator, for providers that mint JWT access tokens per resource.</summary>
    public string? Resource { get; set; }

    /// <summary>oidc: an "audience" parameter, for providers that take one instead of a resource (Auth0 and the like).</summary>
    public string? Audience { get; set; }

    /// <summary>github: where the device flow lives (github.com, GitHub Enterprise Server's root, a test double); default https://github.com.</summary>
    public string? WebUrl { get; set; }
}
