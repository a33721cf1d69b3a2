using Beacon.Server.Hosting;
using Beacon.Server.Issuance;
using Beacon.Server.Storage;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Api;

/// <summary>
/// GET /v1/admin/certificates: search every issued certificate (user, serial, key id, principal, issue
/// time, status), newest first, keyset-paged. Revocation is POST /v1/admin/revocations.
/// </summary>
public static class AdminCertificateEndpoints
{
    public static IEndpointRouteBuilder MapAdminCertificateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/admin/certificates", SearchAsync);
        app.MapGet("/v1/admin/certificates/{serial}", GetAsync);
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
        IBeaconStore store, IAdminStore admin, TimeProvider clock, string? user, string? serial, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "key_id")] string? keyId, string? principal, long? from, long? to,
        string? status, string? after, int? limit, CancellationToken cancellationToken)
    {
        var (caller, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, "admin.certificates.search", cancellationToken);
        if (caller is null)
        {
            return denied!;
        }
        var (search, problem) = Parse(user, null, serial, keyId, principal, from, to, status, after, limit, clock);
        if (search is null)
        {
            return problem!;
        }
        return Results.Json(await PageAsync(admin, search, cancellationToken), ApiJson.Options);
    }

    private static async Task<IResult> GetAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
        IBeaconStore store, IAdminStore admin, string serial, CancellationToken cancellationToken)
    {
        var (caller, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, "admin.certificates.read", cancellationToken);
        if (caller is null)
        {
            return denied!;
        }
        if (!AdminPaging.IsFilter(serial))
        {
            return Problems.BadRequest("serial: a short value");
        }
        var found = await admin.FindCertificateAsync(serial, cancellationToken);
        return found is null
            ? Problems.Of(404, "Not found", $"no certificate with serial {serial}")
            : Results.Json(new { summary = ToAdmin(found), certificate = found.Certificate }, ApiJson.Options);
    }

    /// <summary>Reads the shared filters of the admin and the personal history lists; dates are Unix milliseconds.</summary>
    internal static (CertificateSearch? Search, IResult? Problem) Parse(string? user, string? provider, string? serial, string? keyId, string? principal,
        long? from, long? to, string? status, string? after, int? limit, TimeProvider clock)
    {
        if (!new[] { user, serial, keyId, principal, status }.All(AdminPaging.IsFilter))
        {
            return (null, Problems.BadRequest("filters are single-line values of at most 256 characters"));
        }
        if (status is not (null or "" or "live" or "revoked" or "expired"))
        {
            return (null, Problems.BadRequest("status: live, revoked or expired"));
        }
        long? afterIssuedAt = null;
        string? afterSerial = null;
        if (!string.IsNullOrEmpty(after))
        {
            if (AdminPaging.Decode(after, 2) is not [var issuedText, var lastSerial] || !AdminPaging.TryLong(issuedText, out var issued))
            {
                return (null, Problems.BadRequest("after: not a cursor this server gave"));
            }
            afterIssuedAt = issued;
            afterSerial = lastSerial;
        }
        return (new CertificateSearch(Blank(user), provider, Blank(serial), Blank(keyId), Blank(principal), from, to, Blank(status),
            clock.GetUtcNow().ToUnixTimeSeconds(), afterIssuedAt, afterSerial, AdminPaging.Limit(limit)), null);
    }

    internal static async Task<AdminPaging.Paged<AdminCertificate>> PageAsync(IAdminStore admin, CertificateSearch search, CancellationToken cancellationToken)
    {
        var rows = await admin.SearchCertificatesAsync(search, cancellationToken);
        var (page, last) = AdminPaging.Trim(rows, search.Limit);
        return new AdminPaging.Paged<AdminCertificate>(page.Select(ToAdmin).ToList(),
            last is null ? null : AdminPaging.Encode(last.IssuedAt.ToString(System.Globalization.CultureInfo.InvariantCulture), last.Serial));
    }

    internal static AdminCertificate ToAdmin(CertificateRecord c) => new(
        c.Serial, c.CertType, c.Username, c.Provider, c.KeyId, CertificateEndpoints.ParsePrincipals(c.Principals), c.HostGroup, c.ValidAfter, c.ValidBefore,
        c.IssuedAt, c.ClientAddress, c.PublicKeyFingerprint, c.CaFingerprint, c.RevokedAt, c.RevokedBy);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One certificate in an admin or history list. Times: valid_* Unix seconds; issued_at and revoked_at Unix milliseconds.</summary>
public sealed record AdminCertificate(
    string Serial,
    string Type,
    string Username,
    string Provider,
    string KeyId,
    IReadOnlyList<string> Principals,
    string? HostGroup,
    long ValidAfter,
    long ValidBefore,
    long IssuedAt,
    string? ClientAddress,
    string PublicKeyFingerprint,
    string CaFingerprint,
    long? RevokedAt,
    string? RevokedBy);
