using System.Text;

namespace Beacon.Server.Tests.Fixtures;

/// <summary>A GitHub user account held by the double.</summary>
public sealed class GitHubUser
{
    internal GitHubUser(long id, string login, string? email, string? name)
    {
        Id = id;
        Login = login;
        Email = email;
        Name = name;
    }

    public long Id { get; }

    public string Login { get; }

    /// <summary>The public e-mail address; null when the user keeps it private (GitHub then answers "email": null).</summary>
    public string? Email { get; }

    public string? Name { get; }

    internal object ToJson(string apiBase, string webBase) => new Dictionary<string, object?>
    {
        ["login"] = Login,
        ["id"] = Id,
        ["node_id"] = GitHubApiDouble.NodeId("04:User", Id),
        ["avatar_url"] = $"https://avatars.githubusercontent.com/u/{Id}?v=4",
        ["gravatar_id"] = "",
        ["url"] = $"{apiBase}/users/{Login}",
        ["html_url"] = $"{webBase}/{Login}",
        ["followers_url"] = $"{apiBase}/users/{Login}/followers",
        ["following_url"] = $"{apiBase}/users/{Login}/following{{/other_user}}",
        ["gists_url"] = $"{apiBase}/users/{Login}/gists{{/gist_id}}",
        ["starred_url"] = $"{apiBase}/users/{Login}/starred{{/owner}}{{/repo}}",
        ["subscriptions_url"] = $"{apiBase}/users/{Login}/subscriptions",
        ["organizations_url"] = $"{apiBase}/users/{Login}/orgs",
        ["repos_url"] = $"{apiBase}/users/{Login}/repos",
        ["events_url"] = $"{apiBase}/users/{Login}/events{{/privacy}}",
        ["received_events_url"] = $"{apiBase}/users/{Login}/received_events",
        ["type"] = "User",
        ["user_view_type"] = "private",
        ["site_admin"] = false,
        ["name"] = Name,
        ["company"] = null,
        ["blog"] = "",
        ["location"] = null,
        ["email"] = Email,
        ["hireable"] = null,
        ["bio"] = null,
        ["twitter_username"] = null,
        ["notification_email"] = Email,
        ["public_repos"] = 0,
        ["public_gists"] = 0,
        ["followers"] = 0,
        ["following"] = 0,
        ["created_at"] = GitHubApiDouble.Created,
        ["updated_at"] = GitHubApiDouble.Created,
    };
}

/// <summary>A GitHub organisation held by the double; its login keeps the case it was created with, as GitHub's does.</summary>
public sealed class GitHubOrganization
{
    internal GitHubOrganization(long id, string login)
    {
        Id = id;
        Login = login;
    }

    public long Id { get; }

    public string Login { get; }

    internal HashSet<long> Members { get; } = [];

    /// <summary>organization-simple, as GET /user/orgs lists it.</summary>
    internal Dictionary<string, object?> ToJson(string apiBase) => new()
    {
        ["login"] = Login,
        ["id"] = Id,
        ["node_id"] = GitHubApiDouble.NodeId("012:Organization", Id),
        ["url"] = $"{apiBase}/orgs/{Login}",
        ["repos_url"] = $"{apiBase}/orgs/{Login}/repos",
        ["events_url"] = $"{apiBase}/orgs/{Login}/events",
        ["hooks_url"] = $"{apiBase}/orgs/{Login}/hooks",
        ["issues_url"] = $"{apiBase}/orgs/{Login}/issues",
        ["members_url"] = $"{apiBase}/orgs/{Login}/members{{/member}}",
        ["public_members_url"] = $"{apiBase}/orgs/{Login}/public_members{{/member}}",
        ["avatar_url"] = $"https://avatars.githubusercontent.com/u/{Id}?v=4",
        ["description"] = null,
    };
}

/// <summary>A team of an organisation; the slug is derived from the name as GitHub derives it.</summary>
public sealed class GitHubTeam
{
    internal GitHubTeam(long id, GitHubOrganization organization, string name)
    {
        Id = id;
        Organization = organization;
        Name = name;
        Slug = SlugOf(name);
    }

    public long Id { get; }

    public GitHubOrganization Organization { get; }

    public string Name { get; }

    public string Slug { get; }

    internal HashSet<long> Members { get; } = [];

    /// <summary>Lower case, every run of other characters a single '-'.</summary>
    public static string SlugOf(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_')
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        return slug.ToString().TrimEnd('-');
    }

    /// <summary>team-full, as GET /user/teams lists it.</summary>
    internal object ToJson(string apiBase, string webBase)
    {
        var organization = Organization.ToJson(apiBase);
        organization["name"] = Organization.Login;
        organization["company"] = null;
        organization["blog"] = null;
        organization["location"] = null;
        organization["email"] = null;
        organization["is_verified"] = false;
        organization["has_organization_projects"] = true;
        organization["has_repository_projects"] = true;
        organization["public_repos"] = 0;
        organization["public_gists"] = 0;
        organization["followers"] = 0;
        organization["following"] = 0;
        organization["html_url"] = $"{webBase}/{Organization.Login}";
        organization["created_at"] = GitHubApiDouble.Created;
        organization["updated_at"] = GitHubApiDouble.Created;
        organization["archived_at"] = null;
        organization["type"] = "Organization";
        return new Dictionary<string, object?>
        {
            ["id"] = Id,
            ["node_id"] = GitHubApiDouble.NodeId("04:Team", Id),
            ["url"] = $"{apiBase}/teams/{Id}",
            ["html_url"] = $"{webBase}/orgs/{Organization.Login}/teams/{Slug}",
            ["name"] = Name,
            ["slug"] = Slug,
            ["description"] = null,
            ["privacy"] = "closed",
            ["notification_setting"] = "notifications_enabled",
            ["permission"] = "pull",
            ["members_url"] = $"{apiBase}/teams/{Id}/members{{/member}}",
            ["repositories_url"] = $"{apiBase}/teams/{Id}/repos",
            ["parent"] = null,
            ["members_count"] = Members.Count,
            ["repos_count"] = 0,
            ["created_at"] = GitHubApiDouble.Created,
            ["updated_at"] = GitHubApiDouble.Created,
            ["organization"] = organization,
        };
    }
}

/// <summary>One request the double received, for tests that check what a client sent.</summary>
public sealed record GitHubRecordedRequest(string Method, string Path, string Query, string? Authorization, string? Accept, string? ApiVersion, string? UserAgent);

/// <summary>A failure the double can be told to answer API requests with.</summary>
public enum GitHubFault
{
    None,

    /// <summary>502 with GitHub's JSON error body.</summary>
    ServerError,

    /// <summary>403, x-ratelimit-remaining: 0 and "API rate limit exceeded" (the primary limit).</summary>
    RateLimited,

    /// <summary>429, x-ratelimit-remaining: 0.</summary>
    TooManyRequests,

    /// <summary>403 with retry-after and "You have exceeded a secondary rate limit".</summary>
    SecondaryRateLimited,

    /// <summary>200 with a chunked body that never ends (written until the client goes away).</summary>
    EndlessBody,

    /// <summary>200 declaring an 8 GiB Content-Length, then trickling bytes.</summary>
    HugeDeclaredBody,

    /// <summary>No answer at all until the client gives up.</summary>
    Hang,
}
