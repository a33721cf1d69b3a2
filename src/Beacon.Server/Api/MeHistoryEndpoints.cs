using Beacon.Server.Issuance;
using Beacon.Server.Storage;

namespace Beacon.Server.Api;

/// <summary>
/// GET /v1/me/history: the caller's own certificates with the admin list's filters and keyset paging
/// (the web portal's history; /v1/me/certificates stays as it is for the CLI).
/// </summary>
public static class MeHistoryEndpoints
{
    public static IEndpointRouteBuilder MapMeHistoryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/me/history", HistoryAsync);
        return app;
    }

    private static async Task<IResult> HistoryAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IAdminStore admin, TimeProvider clock,
        string? serial, string? principal, long? from, long? to, string? status, string? after, int? limit, CancellationToken cancellationToken)
    {
        var (identity, problem) = await MeEndpoints.AuthenticateAsync(http, providers, limits, cancellationToken);
        if (identity is null)
        {
            return problem!;
        }
        // The identity decides whose certificates: the caller cannot name another user.
        var (search, bad) = AdminCertificateEndpoints.Parse(identity.Username, identity.Provider, serial, null, principal, from, to, status, after, limit, clock);
        if (search is null)
        {
            return bad!;
        }
        return Results.Json(await AdminCertificateEndpoints.PageAsync(admin, search, cancellationToken), ApiJson.Options);
    }
}
