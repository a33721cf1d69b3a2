using Beacon.Server.Audit;
using Beacon.Server.Hosting;
using Beacon.Server.Issuance;
using Beacon.Server.Storage;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Api;

/// <summary>/v1/admin/audit: the audit log, filtered and keyset-paged newest first, and a verification of its hash chain.</summary>
public static class AdminAuditEndpoints
{
    public static IEndpointRouteBuilder MapAdminAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/admin/audit", SearchAsync);
        app.MapPost("/v1/admin/audit/verify", VerifyAsync);
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
        IBeaconStore store, IAdminStore admin, string? kind, string? actor, string? subject, string? outcome, string? before, int? limit, CancellationToken cancellationToken)
    {
        var (caller, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, "admin.audit.search", cancellationToken);
        if (caller is null)
        {
            return denied!;
        }
        if (!new[] { kind, actor, subject, outcome }.All(AdminPaging.IsFilter))
        {
            return Problems.BadRequest("filters are single-line values of at most 256 characters");
        }
        long? beforeSeq = null;
        if (!string.IsNullOrEmpty(before))
        {
            if (AdminPaging.Decode(before, 1) is not [var seqText] || !AdminPaging.TryLong(seqText, out var seq))
            {
                return Problems.BadRequest("before: not a cursor this server gave");
            }
            beforeSeq = seq;
        }
        var pageSize = AdminPaging.Limit(limit);
        var rows = await admin.SearchAuditAsync(new AuditSearch(Blank(kind), Blank(actor), Blank(subject), Blank(outcome), beforeSeq, pageSize), cancellationToken);
        var (page, last) = AdminPaging.Trim(rows, pageSize);
        return Results.Json(new AdminPaging.Paged<AdminAuditEvent>(
            page.Select(e => new AdminAuditEvent(e.Seq, e.OccurredAt, e.Kind, e.Outcome, e.Actor, e.Subject, e.Details, e.Hash)).ToList(),
            last is null ? null : AdminPaging.Encode(last.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture))), ApiJson.Options);
    }

    /// <summary>Walks the whole chain (the server's own view, the same check as `beacon-server audit verify`); the check itself is audited.</summary>
    private static async Task<IResult> VerifyAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
        IBeaconStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (caller, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, "audit.verify", cancellationToken);
        if (caller is null)
        {
            return denied!;
        }
        var result = await AuditVerifier.VerifyAsync(store.ReadAuditAsync(1, cancellationToken), cancellationToken);
        await store.AppendAuditAsync(new AuditDraft("audit.verify", AuditOutcome.Success, caller.Actor, null, new Dictionary<string, object?>
        {
            ["intact"] = result.Ok,
            ["checked"] = result.Checked,
            ["broken_at_seq"] = result.BrokenAtSeq,
        }), cancellationToken);
        return Results.Json(new AuditVerification(result.Ok, result.Checked, result.BrokenAtSeq, result.Reason, clock.GetUtcNow().ToUnixTimeMilliseconds()), ApiJson.Options);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One audit event as listed; occurred_at is Unix milliseconds, details the stored JSON text.</summary>
public sealed record AdminAuditEvent(long Seq, long OccurredAt, string Kind, string Outcome, string Actor, string? Subject, string Details, string Hash);

/// <summary>The chain check: intact, how many events were checked, and the first broken link if any.</summary>
public sealed record AuditVerification(bool Intact, long Checked, long? BrokenAtSeq, string? Reason, long VerifiedAt);
