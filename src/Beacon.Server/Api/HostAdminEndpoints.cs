using System.Text.Json;
using Beacon.Server.Hosting;
using Beacon.Server.Hosts;
using Beacon.Server.Identity;
using Beacon.Server.Issuance;
using Beacon.Server.Policy;
using Beacon.Server.Signing;
using Beacon.Server.Storage;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Api;

/// <summary>POST /v1/admin/host-tokens (mint an enrollment token) and GET /v1/admin/hosts (enrolled hosts, paged): admins only.</summary>
public static class HostAdminEndpoints
{
    public const string ListKind = "host.list";

    public static IEndpointRouteBuilder MapHostAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/admin/host-tokens", CreateTokenAsync);
        app.MapGet("/v1/admin/hosts", ListAsync);
        return app;
    }

    private static async Task<IResult> CreateTokenAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits,
        IOptions<BeaconServerOptions> options, IBeaconStore store, IHostStore hosts, PolicySource policies, TokenDigest digest, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (admin, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, HostEnrollmentToken.CreateKind, cancellationToken);
        if (admin is null)
        {
            return denied!;
        }
        var (body, problem) = await BoundedJson.ReadAsync<HostTokenRequestBody>(http.Request, options.Value.Limits.MaxRequestBodyBytes, ApiJson.Options, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var lifetime = HostEnrollmentToken.DefaultLifetime;
        if (body!.Ttl is not null && !DurationText.TryParse(body.Ttl, HostEnrollmentToken.MaxLifetime, out lifetime))
        {
            return Problems.BadRequest($"ttl: \"{HostNames.Printable(body.Ttl)}\" is not a duration up to {DurationText.Format(HostEnrollmentToken.MaxLifetime)} (like 1h)");
        }
        var (document, _) = await policies.CurrentAsync(cancellationToken);
        try
        {
            var (token, expires) = await HostEnrollmentToken.MintAsync(hosts, digest, document, body.Groups ?? [], lifetime, admin.Actor, clock.GetUtcNow(), cancellationToken);
            return Results.Json(new HostTokenResponse(token, expires), ApiJson.Options, statusCode: 201);
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits,
        IOptions<BeaconServerOptions> options, IBeaconStore store, IHostStore hosts, int? limit, int? offset, CancellationToken cancellationToken)
    {
        var (admin, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, ListKind, cancellationToken);
        if (admin is null)
        {
            return denied!;
        }
        var page = await hosts.ListHostsAsync(limit ?? 50, offset ?? 0, cancellationToken);
        return Results.Json(new PageResponse<HostSummary>(page.Items.Select(Summary).ToList(), page.Total, page.Limit, page.Offset), ApiJson.Options);
    }

    internal static HostSummary Summary(HostRecord host) => new(
        host.Id,
        JsonSerializer.Deserialize<List<string>>(host.HostNames) ?? [],
        JsonSerializer.Deserialize<List<string>>(host.HostGroups) ?? [],
        DateTimeOffset.FromUnixTimeMilliseconds(host.EnrolledAt),
        host.RenewedAt is { } renewed ? DateTimeOffset.FromUnixTimeMilliseconds(renewed) : null,
        DateTimeOffset.FromUnixTimeSeconds(host.ValidBefore));
}
