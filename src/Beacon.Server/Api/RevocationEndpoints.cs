using Beacon.Server.Hosting;
using Beacon.Server.Issuance;
using Beacon.Server.Revocation;
using Beacon.Server.Storage;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Api;

/// <summary>POST /v1/admin/revocations: revoke by serial, public key or user (admins only, audited).</summary>
public static class RevocationEndpoints
{
    public static IEndpointRouteBuilder MapRevocationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/admin/revocations", RevokeAsync);
        return app;
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits,
        IOptions<BeaconServerOptions> options, IBeaconStore store, Revoker revoker, KrlPublisher krl, CancellationToken cancellationToken)
    {
        var (admin, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, Revoker.CertificateKind, cancellationToken);
        if (admin is null)
        {
            return denied!;
        }
        var (body, problem) = await BoundedJson.ReadAsync<RevocationRequestBody>(http.Request, options.Value.Limits.MaxRequestBodyBytes, ApiJson.Options, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var (request, error) = RevocationRequest.Create(body!.Serial, body.PublicKey, body.Username);
        if (request is null)
        {
            return Problems.BadRequest(error!);
        }
        if (body.Reason is { Length: > 1024 })
        {
            return Problems.BadRequest("reason: at most 1024 characters");
        }
        var result = await revoker.RevokeAsync(request, admin.Actor, body.Reason, cancellationToken);
        if (!result.ChangedAnything)
        {
            return Problems.Of(404, "Not found", request.PublicKey is not null
                ? "the key is revoked already and has no live certificate"
                : "no live certificate matches");
        }
        var published = await krl.CurrentAsync(cancellationToken);
        return Results.Json(new RevocationResponse(
            result.Certificates.Select(c => c.Serial).ToList(), result.RevokedKeyFingerprint, published.Version), ApiJson.Options);
    }
}

/// <summary>POST /v1/admin/revocations body: exactly one of serial, public_key, username; reason optional.</summary>
public sealed class RevocationRequestBody
{
    public string? Serial { get; set; }

    public string? PublicKey { get; set; }

    public string? Username { get; set; }

    public string? Reason { get; set; }
}

/// <summary>200 body: the certificates newly revoked, the key newly revoked, and the KRL version that carries them.</summary>
public sealed record RevocationResponse(IReadOnlyList<string> RevokedSerials, string? RevokedKeyFingerprint, long KrlVersion);
