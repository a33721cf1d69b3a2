using Beacon.Server.Identity;

namespace Beacon.Server.Tests.Revocation;

/// <summary>
/// An identity provider double with fixed tokens: "admin-token" is alice in group beacon-admins,
/// "staff-token" is bob in group developers. Stands in for a provider that vouches for groups.
/// </summary>
internal sealed class StaffDirectoryDouble : IIdentityProvider
{
    public const string AdminToken = "admin-token";
    public const string StaffToken = "staff-token";
    public const string AdminGroup = "beacon-admins";

    public string Name => "staff";

    public string Type => "oidc";

    public bool Claims(string token) => token is AdminToken or StaffToken;

    public Task<AuthenticationResult> AuthenticateAsync(string token, AuthenticationContext context, CancellationToken cancellationToken) =>
        Task.FromResult(token switch
        {
            AdminToken => AuthenticationResult.Success(new AuthenticatedIdentity("staff", "alice-id", "alice", null, [AdminGroup], new Dictionary<string, string>())),
            StaffToken => AuthenticationResult.Success(new AuthenticatedIdentity("staff", "bob-id", "bob", null, ["developers"], new Dictionary<string, string>())),
            _ => AuthenticationResult.Invalid("unknown token"),
        });
}
