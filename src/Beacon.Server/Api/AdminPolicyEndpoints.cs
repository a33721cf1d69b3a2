using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Hosting;
using Beacon.Server.Issuance;
using Beacon.Server.Policy;
using Beacon.Server.Storage;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Api;

/// <summary>
/// /v1/admin/policies: the versioned policy document (who changed it and when), and a new version after
/// validation; a bad document is a 400 whose problem+json "errors" name each field (policies[0].max_ttl).
/// </summary>
public static class AdminPolicyEndpoints
{
    public static IEndpointRouteBuilder MapAdminPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/admin/policies", HistoryAsync);
        app.MapGet("/v1/admin/policies/{version:long}", VersionAsync);
        app.MapPost("/v1/admin/policies", SaveAsync);
        return app;
    }

    private static async Task<IResult> HistoryAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
        IBeaconStore store, CancellationToken cancellationToken)
    {
        var (caller, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, "admin.policies.read", cancellationToken);
        if (caller is null)
        {
            return denied!;
        }
        var history = await store.PolicyHistoryAsync(cancellationToken);
        return Results.Json(new { items = history.Select(v => new { version = v.Version, created_at = v.CreatedAt, created_by = v.CreatedBy }) }, ApiJson.Options);
    }

    private static async Task<IResult> VersionAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
        IBeaconStore store, long version, CancellationToken cancellationToken)
    {
        var (caller, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, "admin.policies.read", cancellationToken);
        if (caller is null)
        {
            return denied!;
        }
        var found = (await store.PolicyHistoryAsync(cancellationToken)).FirstOrDefault(v => v.Version == version);
        if (found is null)
        {
            return Problems.Of(404, "Not found", $"no policy version {version}");
        }
        using var document = JsonDocument.Parse(found.Document);
        return Results.Json(new { version = found.Version, created_at = found.CreatedAt, created_by = found.CreatedBy, document = document.RootElement.Clone() }, ApiJson.Options);
    }

    private static async Task<IResult> SaveAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
        IBeaconStore store, PolicySource policies, TimeProvider clock, IOptions<Hosts.HostOptions> hostOptions, CancellationToken cancellationToken)
    {
        var (caller, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, "policy.update", cancellationToken);
        if (caller is null)
        {
            return denied!;
        }
        var (body, problem) = await ReadAsync(http.Request, options.Value.Limits.MaxRequestBodyBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var errors = PolicyValidator.Validate(body.Document!, options.Value.Providers.Keys.ToList());
        foreach (var (field, messages) in HostRuleValidator.ValidateFields(body.Document!, hostOptions.Value.MaxCertificateLifetime))
        {
            errors[field] = [.. errors.GetValueOrDefault(field) ?? [], .. messages];
        }
        if (errors.Count > 0)
        {
            await store.AppendAuditAsync(new AuditDraft("policy.update", AuditOutcome.Refused, caller.Actor, "policy", new Dictionary<string, object?>
            {
                ["reason"] = "invalid document",
                ["fields"] = errors.Keys.ToArray(),
            }), cancellationToken);
            return Invalid(errors);
        }
        // Two admins editing at once: the second save names the version it started from and is refused.
        var latest = await store.LatestPolicyAsync(cancellationToken);
        if (body.BaseVersion is { } baseVersion && baseVersion != (latest?.Version ?? 0))
        {
            return Problems.Of(409, "Conflict", $"the policy changed since version {baseVersion} (now {latest?.Version ?? 0}); reload and edit again");
        }
        var json = JsonSerializer.Serialize(body.Document, PolicySource.Json);
        var saved = await store.SavePolicyAsync(json, caller.Actor, clock.GetUtcNow().ToUnixTimeMilliseconds(),
            new AuditDraft("policy.update", AuditOutcome.Success, caller.Actor, "policy", new Dictionary<string, object?> { ["source"] = "api" }), cancellationToken);
        policies.Invalidate();
        return Results.Json(new { version = saved.Version, created_at = saved.CreatedAt, created_by = saved.CreatedBy }, ApiJson.Options, statusCode: 201);
    }

    /// <summary>Reads the body; a JSON shape error names the field it happened at, like a validation error.</summary>
    private static async Task<(PolicySaveBody? Body, IResult? Problem)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var (body, problem) = await BoundedJson.ReadAsync<PolicySaveBody>(request, limit, ApiJson.Options, cancellationToken, FieldError);
        if (problem is not null)
        {
            return (null, problem);
        }
        return body!.Document is null ? (null, FieldError(null)) : (body, null);
    }

    /// <summary>The JSON path of a shape error inside the document, or "document" itself (missing or null).</summary>
    private static IResult FieldError(JsonException? e)
    {
        if (e is null)
        {
            return Invalid(new Dictionary<string, string[]> { ["document"] = ["the policy document is required"] });
        }
        var path = e.Path is { Length: > 0 } p ? p.TrimStart('$', '.') : "";
        path = path.StartsWith("document.", StringComparison.Ordinal) ? path["document.".Length..] : path;
        return Invalid(new Dictionary<string, string[]> { [path.Length == 0 ? "document" : path] = ["not valid here: wrong type or unknown field"] });
    }

    private static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, detail: "the policy document has errors; nothing was saved", title: "Invalid policy",
            type: "https://beaconssh.dev/problems/400", statusCode: 400);
}

/// <summary>POST /v1/admin/policies body: the whole document, and optionally the version the edit started from.</summary>
public sealed class PolicySaveBody
{
    public long? BaseVersion { get; set; }

    public PolicyDocument? Document { get; set; }
}
