namespace Beacon.Web.Hosting;

/// <summary>beacon-web's configuration, section "Web" (appsettings.json, Web__… environment variables).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>The certificate server, e.g. https://beacon.example:8443.</summary>
    public string ServerUrl { get; set; } = "";

    /// <summary>SHA-256 of the server's TLS certificate (as `beacon-server init` prints it); only that certificate is accepted.</summary>
    public string ServerFingerprint { get; set; } = "";

    /// <summary>The OpenID Connect issuer people sign in with.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "beacon-web";

    /// <summary>For a confidential client; empty for a public one (PKCE is used either way).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides openid.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>A resource indicator (RFC 8707) so the access token is meant for beacon-server, e.g. urn:beacon:api; empty for none.</summary>
    public string? Resource { get; set; }

    /// <summary>Identity provider name the server knows the token by (Beacon-Provider header); empty when the token's shape decides.</summary>
    public string? ServerProvider { get; set; }

    /// <summary>False only for an http:// authority on loopback (tests, development).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Shown on the CLI set-up page: how users configure `beacon`; defaults to ServerUrl.</summary>
    public string? PublicServerUrl { get; set; }
}
