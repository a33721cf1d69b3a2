using Beacon.Server.Identity;
using Beacon.Server.Issuance;
using Beacon.Server.Policy;
using Beacon.Server.Storage;

namespace Beacon.Server.Api;

/// <summary>GET /v1/me and /v1/me/certificates: who the token says I am, what my policy allows, my history.</summary>
public static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/me", MeAsync);
        app.MapGet("/v1/me/certificates", MyCertificatesAsync);
        return app;
    }

    private static async Task<IResult> MeAsync(HttpContext http, IdentityProviderRegistry providers, PolicySource policies, RequestRateLimits limits,
        Microsoft.Extensions.Options.IOptions<Hosting.BeaconServerOptions> options, CancellationToken cancellationToken)
    {
        var (identity, problem) = await AuthenticateAsync(http, providers, limits, cancellationToken);
        if (identity is null)
        {
            return problem!;
        }
        var (document, version) = await policies.CurrentAsync(cancellationToken);
        var granted = document.Policies.Where(p => p.Subjects.Any(s => PolicyEvaluator.SubjectMatches(s, identity))).Select(p => new
        {
            name = p.Name,
            principals = p.Principals.Select(x => x.Replace("{username}", identity.Username, StringComparison.Ordinal)).ToList(),
            host_groups = p.HostGroups,
            allow_ungrouped = p.AllowUngrouped,
            default_ttl = p.DefaultTtl,
            max_ttl = p.MaxTtl,
            extensions = p.Extensions,
            critical_options = p.CriticalOptions.Keys.ToList(),
            source_cidrs = p.SourceCidrs,
            key_types = p.KeyTypes,
        }).ToList();
        return Results.Json(new
        {
            provider = identity.Provider,
            subject = identity.Subject,
            username = identity.Username,
            email = identity.Email,
            groups = identity.Groups,
            policy_version = version,
            policies = granted,
            // The server decides who administers; clients (the web portal) only show what it says.
            is_admin = AdminAuthorization.IsAdmin(identity, options.Value),
        }, ApiJson.Options);
    }

    private static async Task<IResult> MyCertificatesAsync(HttpContext http, IdentityProviderRegistry providers, IBeaconStore store, RequestRateLimits limits,
        TimeProvider clock, int? limit, int? offset, CancellationToken cancellationToken)
    {
        var (identity, problem) = await AuthenticateAsync(http, providers, limits, cancellationToken);
        if (identity is null)
        {
            return problem!;
        }
        var page = await store.ListCertificatesAsync(new CertificateQuery(Username: identity.Username, Limit: limit ?? 50, Offset: offset ?? 0,
            Now: clock.GetUtcNow().ToUnixTimeSeconds()), cancellationToken);
        var items = page.Items.Where(c => c.Provider == identity.Provider).Select(ToSummary).ToList();
        return Results.Json(new PageResponse<CertificateSummary>(items, page.Total, page.Limit, page.Offset), ApiJson.Options);
    }

    internal static CertificateSummary ToSummary(CertificateRecord c) => new(
        c.Serial, c.CertType, c.KeyId, CertificateEndpoints.ParsePrincipals(c.Principals), c.HostGroup, c.ValidAfter, c.ValidBefore,
        c.IssuedAt, c.ClientAddress, c.RevokedAt is not null, c.PublicKeyFingerprint);

    /// <summary>Checks the bearer token with its provider (never consuming a one-time token).</summary>
    internal static async Task<(AuthenticatedIdentity? Identity, IResult? Problem)> AuthenticateAsync(HttpContext http, IdentityProviderRegistry providers,
        RequestRateLimits limits, CancellationToken cancellationToken)
    {
        var client = http.Connection.RemoteIpAddress;
        if (limits.AuthenticationFailuresExhausted(client) is { } retry)
        {
            return (null, RequestRateLimits.TooMany(retry, "too many failed authentications from this address"));
        }
        var token = BearerToken.From(http.Request);
        var provider = token is null ? null : providers.Select(token, BearerToken.ProviderHint(http.Request));
        if (token is null || provider is null)
        {
            limits.RecordAuthenticationFailure(client);
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return (null, Problems.Unauthenticated("send a token of a configured identity provider as \"Authorization: Bearer TOKEN\""));
        }
        var result = await provider.AuthenticateAsync(token, new AuthenticationContext(client, ForIssuance: false), cancellationToken);
        if (result.Identity is null)
        {
            if (result.Status == 401)
            {
                limits.RecordAuthenticationFailure(client);
            }
            return (null, Problems.Of(result.Status, result.Status == 401 ? "Unauthenticated" : result.Status == 403 ? "Forbidden" : "Unavailable", result.Reason!));
        }
        return (result.Identity, null);
    }
}
