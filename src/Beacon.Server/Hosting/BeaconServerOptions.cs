using Beacon.Server.Issuance;
using Beacon.Server.Policy;
using Beacon.Server.Trust;

namespace Beacon.Server.Hosting;

/// <summary>The server's configuration, section "Beacon" (appsettings.json, the data directory's beacon.json, BEACON__… variables).</summary>
public sealed class BeaconServerOptions
{
    public const string Section = "Beacon";

    /// <summary>The data directory: database, CA keys, TLS certificate, secrets.</summary>
    public string DataDir { get; set; } = "";

    /// <summary>The file holding the password that decrypts the CA keys; defaults to DATA/secrets/ca-password.</summary>
    public string? PasswordFile { get; set; }

    public DatabaseOptions Database { get; set; } = new();

    public IssuanceOptions Issuance { get; set; } = new();

    public AuditOptions Audit { get; set; } = new();

    public RedisOptions Redis { get; set; } = new();

    public LimitOptions Limits { get; set; } = new();

    public AdminOptions Admin { get; set; } = new();

    /// <summary>Identity providers by name.</summary>
    public Dictionary<string, ProviderOptions> Providers { get; set; } = [];

    /// <summary>The trust bundle: signing mode, operator key, extra host-group accounts.</summary>
    public TrustOptions Trust { get; set; } = new();

    /// <summary>The policy document seeded into the database.</summary>
    public PolicyDocument Policy { get; set; } = new();
}

public sealed class DatabaseOptions
{
    /// <summary>sqlite (default, DATA/beacon.db) or postgres.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>For postgres: an Npgsql connection string. For sqlite: optional path of the database file.</summary>
    public string? ConnectionString { get; set; }
}

public sealed class AuditOptions
{
    /// <summary>A JSON-lines file every audit event is appended to (for a SIEM); empty for none.</summary>
    public string? JsonLinesPath { get; set; }

    /// <summary>Send each event to syslog (RFC 5424 over UDP) at this host:port; empty for none.</summary>
    public string? Syslog { get; set; }
}

public sealed class AdminOptions
{
    /// <summary>
    /// Groups whose members may call the admin API (/v1/admin/…). An identity is an admin when its
    /// provider vouches for one of these groups; empty means nobody is. One-time tokens never are.
    /// </summary>
    public List<string> Groups { get; set; } = [];
}

public sealed class RedisOptions
{
    /// <summary>A StackExchange.Redis configuration string, e.g. 127.0.0.1:6379; empty to run without Redis.</summary>
    public string? Configuration { get; set; }
}

public sealed class LimitOptions
{
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    public int IssuancePerAddressPerMinute { get; set; } = 6000;

    public int IssuancePerIdentityPerMinute { get; set; } = 120;

    public int AuthenticationFailuresPerAddressPerMinute { get; set; } = 30;
}

/// <summary>One identity provider. Type decides which other settings apply.</summary>
public sealed class ProviderOptions
{
    /// <summary>token, github, oidc or jwt.</summary>
    public string Type { get; set; } = "";

    /// <summary>github: the API base URL (GitHub Enterprise, a test double); default https://api.github.com.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>github: organisations (logins, any case) a user must belong to, at least one of them; empty admits any GitHub user and leaves it to policy.</summary>
    public List<string> Organizations { get; set; } = [];

    /// <summary>github: how long one check with the provider may take in all, every page included (a duration like 10s); default 10s.</summary>
    public string? Timeout { get; set; }

    /// <summary>oidc and jwt: the issuer; discovery at ISSUER/.well-known/openid-configuration.</summary>
    public string? Issuer { get; set; }

    /// <summary>jwt: a JWKS URL when discovery is not used.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>oidc: local (JWT against the JWKS), userinfo or introspection (remote, so revocation is immediate).</summary>
    public string Validation { get; set; } = "local";

    /// <summary>oidc: client credentials for introspection, and the client id the CLI's device flow uses.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>oidc and jwt: accepted audiences (local validation).</summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>jwt: claims that must match globs.</summary>
    public Dictionary<string, string> BoundClaims { get; set; } = [];

    /// <summary>jwt: addresses requests must come from.</summary>
    public List<string> BoundCidrs { get; set; } = [];

    /// <summary>The claim naming the user (preferred_username for OIDC, actor for GitHub Actions).</summary>
    public string? UsernameClaim { get; set; }

    public string GroupsClaim { get; set; } = "groups";

    public string EmailClaim { get; set; } = "email";

    /// <summary>Allow plain http for the issuer or the GitHub API URL (loopback tests only).</summary>
    public bool AllowHttp { get; set; }
}
