using Beacon.Server.Audit;
using Beacon.Server.Hosting;
using Beacon.Server.Issuance;
using Beacon.Server.Storage;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Api;

/// <summary>
/// /v1/admin/users: search users, disable and enable them (audited). Revoking every live certificate
/// of a user is POST /v1/admin/revocations with a username.
/// </summary>
public static class AdminUserEndpoints
{
    public static IEndpointRouteBuilder MapAdminUserEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/admin/users", SearchAsync);
        app.MapPost("/v1/admin/users/{username}/disable", (HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
            IBeaconStore store, string username, CancellationToken cancellationToken) => SetDisabledAsync(http, providers, limits, options, store, username, true, cancellationToken));
        app.MapPost("/v1/admin/users/{username}/enable", (HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
            IBeaconStore store, string username, CancellationToken cancellationToken) => SetDisabledAsync(http, providers, limits, options, store, username, false, cancellationToken));
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
        IBeaconStore store, IAdminStore admin, string? q, string? after, int? limit, CancellationToken cancellationToken)
    {
        var (caller, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, "admin.users.search", cancellationToken);
        if (caller is null)
        {
            return denied!;
        }
        if (!AdminPaging.IsFilter(q))
        {
            return Problems.BadRequest("q: a single-line value of at most 256 characters");
        }
        string? afterUsername = null;
        long? afterId = null;
        if (!string.IsNullOrEmpty(after))
        {
            if (AdminPaging.Decode(after, 2) is not [var name, var idText] || !AdminPaging.TryLong(idText, out var id))
            {
                return Problems.BadRequest("after: not a cursor this server gave");
            }
            (afterUsername, afterId) = (name, id);
        }
        var pageSize = AdminPaging.Limit(limit);
        var rows = await admin.SearchUsersAsync(new UserSearch(string.IsNullOrWhiteSpace(q) ? null : q.Trim(), afterUsername, afterId, pageSize), cancellationToken);
        var (page, last) = AdminPaging.Trim(rows, pageSize);
        return Results.Json(new AdminPaging.Paged<AdminUser>(
            page.Select(u => new AdminUser(u.Id, u.Provider, u.Subject, u.Username, u.Email, u.FirstSeen, u.LastSeen, u.Disabled, u.DisabledReason)).ToList(),
            last is null ? null : AdminPaging.Encode(last.Username, last.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))), ApiJson.Options);
    }

    private static async Task<IResult> SetDisabledAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
        IBeaconStore store, string username, bool disabled, CancellationToken cancellationToken)
    {
        var kind = disabled ? "user.disable" : "user.enable";
        var (caller, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, kind, cancellationToken);
        if (caller is null)
        {
            return denied!;
        }
        if (!AdminPaging.IsFilter(username))
        {
            return Problems.BadRequest("username: a single-line value of at most 256 characters");
        }
        string? reason = null;
        // The body is optional: read it when one is sent (with a length, or chunked).
        if (http.Request.ContentLength > 0 || http.Request.ContentLength is null && http.Request.ContentType is not null)
        {
            var (body, problem) = await BoundedJson.ReadAsync<UserStateBody>(http.Request, options.Value.Limits.MaxRequestBodyBytes, ApiJson.Options, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }
            reason = body!.Reason;
            if (reason is { Length: > 1024 })
            {
                return Problems.BadRequest("reason: at most 1024 characters");
            }
        }
        var changed = await store.SetUserDisabledAsync(username, disabled, reason,
            new AuditDraft(kind, AuditOutcome.Success, caller.Actor, username, new Dictionary<string, object?> { ["reason"] = reason, ["via"] = "api" }),
            cancellationToken);
        return changed == 0
            ? Problems.Of(404, "Not found", $"no user named {username}")
            : Results.Json(new { username, disabled, identities = changed }, ApiJson.Options);
    }
}

/// <summary>POST /v1/admin/users/{username}/disable|enable body (optional).</summary>
public sealed class UserStateBody
{
    public string? Reason { get; set; }
}

/// <summary>One identity in the admin user list; first_seen and last_seen are Unix milliseconds.</summary>
public sealed record AdminUser(long Id, string Provider, string Subject, string Username, string? Email, long FirstSeen, long LastSeen, bool Disabled, string? DisabledReason);
