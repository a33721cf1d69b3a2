using Beacon.Server.Ca;
using Beacon.Server.CaLifecycle;
using Beacon.Server.Hosting;
using Beacon.Server.Issuance;
using Beacon.Server.Storage;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Api;

/// <summary>
/// The CA lifecycle for admins: GET /v1/admin/ca/keys, POST /v1/admin/ca/{kind}/rotate|activate|retire
/// (retire's body: { "force": false }). A refused step is 409 with the reason, audited like a done one.
/// </summary>
public static class CaEndpoints
{
    public static IEndpointRouteBuilder MapCaEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/admin/ca/keys", ListAsync);
        app.MapPost("/v1/admin/ca/{kind}/{step}", StepAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
        IBeaconStore store, ITrustStore trust, CancellationToken cancellationToken)
    {
        var (admin, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, "ca.list", cancellationToken);
        if (admin is null)
        {
            return denied!;
        }
        var keys = await trust.ListCaKeysAsync(cancellationToken);
        return Results.Json(new CaKeyList([.. keys.Select(CaKeyView.Of)]), ApiJson.Options);
    }

    private static async Task<IResult> StepAsync(HttpContext http, string kind, string step, IdentityProviderRegistry providers, RequestRateLimits limits,
        IOptions<BeaconServerOptions> options, IBeaconStore store, CaLifecycleService lifecycle, CancellationToken cancellationToken)
    {
        var audited = step is "rotate" or "activate" or "retire" ? $"ca.{step}" : "ca.step";
        var (admin, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, audited, cancellationToken);
        if (admin is null)
        {
            return denied!;
        }
        if (!CaKindText.TryParse(kind, out var caKind))
        {
            return Problems.Of(404, "Not found", $"no CA kind \"{(kind.Length > 16 ? kind[..16] : kind)}\": user or host");
        }
        var force = false;
        CaKeySpec? spec = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var (body, problem) = await BoundedJson.ReadAsync<CaStepBody>(http.Request, options.Value.Limits.MaxRequestBodyBytes, ApiJson.Options, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }
            force = body!.Force;
            if (body.Type is not null || body.Bits is not null)
            {
                try
                {
                    spec = CaKeySpec.Parse(body.Type ?? "ed25519", body.Bits);
                }
                catch (FormatException e)
                {
                    return Problems.BadRequest(e.Message.Replace("--", "", StringComparison.Ordinal));
                }
            }
        }
        var outcome = step switch
        {
            "rotate" => await lifecycle.RotateAsync(caKind, spec, admin.Actor, cancellationToken),
            "activate" => await lifecycle.ActivateAsync(caKind, admin.Actor, cancellationToken),
            "retire" => await lifecycle.RetireAsync(caKind, force, admin.Actor, cancellationToken),
            _ => null,
        };
        if (outcome is null)
        {
            return Problems.Of(404, "Not found", "the CA steps are rotate, activate and retire");
        }
        if (!outcome.Done)
        {
            return Problems.Of(409, "Conflict", outcome.Message);
        }
        return Results.Json(new CaStepResponse(outcome.Message, outcome.Key is { } key ? CaKeyView.Of(key) : null, outcome.Bundle?.Version, outcome.BundleError), ApiJson.Options);
    }
}

/// <summary>POST /v1/admin/ca/{kind}/{step} body, optional: force (retire), type and bits (rotate).</summary>
public sealed class CaStepBody
{
    public bool Force { get; set; }

    public string? Type { get; set; }

    public int? Bits { get; set; }
}

/// <summary>A CA key as the API shows it; times in Unix milliseconds.</summary>
public sealed record CaKeyView(long Id, string Kind, string State, string PublicKey, string Fingerprint, long CreatedAt, long? ActivatedAt, long? RetiredAt)
{
    public static CaKeyView Of(CaKeyRecord key) => new(key.Id, key.Kind, key.State, key.PublicKey, key.Fingerprint, key.CreatedAt, key.ActivatedAt, key.RetiredAt);
}

public sealed record CaKeyList(IReadOnlyList<CaKeyView> Keys);

/// <summary>200 body of a CA step: what was done, the key, and the bundle version published (null if it could not be, with why).</summary>
public sealed record CaStepResponse(string Message, CaKeyView? Key, long? BundleVersion, string? BundleError);
