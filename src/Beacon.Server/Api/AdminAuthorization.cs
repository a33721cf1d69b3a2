using Beacon.Server.Audit;
using Beacon.Server.Hosting;
using Beacon.Server.Identity;
using Beacon.Server.Issuance;
using Beacon.Server.Storage;

namespace Beacon.Server.Api;

/// <summary>Who may call /v1/admin/…: an identity whose provider-vouched groups meet Beacon:Admin:Groups.</summary>
public static class AdminAuthorization
{
    /// <summary>Whether the identity is an admin under these options.</summary>
    public static bool IsAdmin(AuthenticatedIdentity identity, BeaconServerOptions options)
    {
        // A one-time token fixes its own principals and names whoever minted it: it is a credential for one
        // certificate, never for administration, whatever groups a configuration might give it.
        if (identity.Principals is not null
            || options.Providers.TryGetValue(identity.Provider, out var provider) && provider.Type == "token")
        {
            return false;
        }
        return identity.Groups.Any(g => options.Admin.Groups.Contains(g, StringComparer.Ordinal));
    }

    /// <summary>Authenticates the caller and requires an admin; a refusal is audited and answered 403.</summary>
    internal static async Task<(AuthenticatedIdentity? Admin, IResult? Problem)> RequireAdminAsync(HttpContext http, IdentityProviderRegistry providers,
        RequestRateLimits limits, BeaconServerOptions options, IBeaconStore store, string action, CancellationToken cancellationToken)
    {
        var (identity, problem) = await MeEndpoints.AuthenticateAsync(http, providers, limits, cancellationToken);
        if (identity is null)
        {
            return (null, problem);
        }
        if (!IsAdmin(identity, options))
        {
            await store.AppendAuditAsync(new AuditDraft(action, AuditOutcome.Refused, identity.Actor, null,
                new Dictionary<string, object?> { ["reason"] = "not an admin" }), cancellationToken);
            return (null, Problems.Of(403, "Forbidden", "this identity is not an admin (no group of Beacon:Admin:Groups)"));
        }
        return (identity, null);
    }
}
