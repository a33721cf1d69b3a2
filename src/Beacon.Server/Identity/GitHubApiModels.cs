namespace Beacon.Server.Identity;

// The few fields BeaconSSH reads from GitHub's REST API answers (snake_case on the wire); the rest is ignored.

/// <summary>GET /user: the authenticated user. Email is null when the user keeps it private.</summary>
internal sealed record GitHubUserResponse(string? Login, long Id, string? Email);

/// <summary>GET /user/orgs: one organisation (organization-simple).</summary>
internal sealed record GitHubOrganizationResponse(string? Login);

/// <summary>GET /user/teams: one team (team-full) with the organisation it belongs to.</summary>
internal sealed record GitHubTeamResponse(string? Slug, GitHubOrganizationResponse? Organization);
