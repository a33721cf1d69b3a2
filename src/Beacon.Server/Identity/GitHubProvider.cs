using Beacon.Server.Hosting;
using Beacon.Server.Signing;

namespace Beacon.Server.Identity;

/// <summary>
/// The "github" provider: an opaque OAuth token (from the device flow, or a personal access token) checked
/// with GitHub's REST API on every request, nothing cached. GET /user names the caller; GET /user/orgs and
/// GET /user/teams, every page, give the groups "org" and "org/team-slug" (lower case). When organisations
/// are required, a user in none of them is refused (403) before policy is consulted.
/// </summary>
/// <remarks>
/// Failures map to the three refusals: GitHub rejecting the token is 401; GitHub refusing a valid token
/// what is asked, or a missing organisation, is 403; GitHub unreachable, slow, failing, rate limited or
/// answering nonsense is 503. No exception escapes except the caller's own cancellation.
/// </remarks>
public sealed class GitHubProvider : IIdentityProvider
{
    public const string DefaultApiUrl = "https://api.github.com";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A sanity bound on the configured timeout: a signing request should not wait on GitHub longer.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(2);

    /// <summary>A sanity bound, not GitHub's: its longest tokens (fine-grained personal access tokens) have 93 characters.</summary>
    public const int MaxTokenLength = 255;

    /// <summary>A sanity bound on logins, organisation names and team slugs (GitHub's own limit is 39; managed users add a suffix).</summary>
    public const int MaxNameLength = 100;

    private readonly HttpClient _http;

    /// <summary>Creates the provider from its configuration.</summary>
    /// <exception cref="InvalidOperationException">The API URL, the timeout or an organisation name is not usable.</exception>
    public GitHubProvider(string name, ProviderOptions options, HttpClient http)
    {
        Name = name;
        _http = http;
        ApiBase = ParseApiUrl(name, options.ApiUrl ?? DefaultApiUrl, options.AllowHttp);
        Timeout = options.Timeout is null ? DefaultTimeout
            : DurationText.TryParse(options.Timeout, MaxTimeout, out var timeout) ? timeout
            : throw new InvalidOperationException($"identity provider \"{name}\": Timeout \"{options.Timeout}\" is not a duration like 10s (at most 2m)");
        RequiredOrganizations = options.Organizations.Select(o => o.Trim()).Where(o => o.Length > 0).Select(o => IsName(o)
            ? o.ToLowerInvariant()
            : throw new InvalidOperationException($"identity provider \"{name}\": \"{o}\" is not a GitHub organisation login")).Distinct().ToList();
    }

    public string Name { get; }

    public string Type => "github";

    /// <summary>The REST API base, ending in a slash: https://api.github.com/ or https://HOST/api/v3/ for GitHub Enterprise Server.</summary>
    public Uri ApiBase { get; }

    /// <summary>How long one authentication may take, every request to GitHub included.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Lower-case organisation logins a user must belong to (any one); empty when none is required.</summary>
    public IReadOnlyList<string> RequiredOrganizations { get; }

    /// <summary>GitHub's documented token prefixes (<see cref="TokenShape.GitHubTokenPrefixes"/>), within the length bound.</summary>
    public bool Claims(string token) =>
        token.Length <= MaxTokenLength && TokenShape.GitHubTokenPrefixes.Any(p => token.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Asks GitHub who the token belongs to, and which organisations and teams; nothing is cached.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled; GitHub's slowness is a 503 result.</exception>
    public async Task<AuthenticationResult> AuthenticateAsync(string token, AuthenticationContext context, CancellationToken cancellationToken)
    {
        // Only RFC 6750 token characters reach a request header: stops header injection through the token.
        if (!IsBearerToken(token))
        {
            return AuthenticationResult.Invalid("not a GitHub token");
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        var api = new GitHubApiClient(_http, ApiBase, token);
        try
        {
            return await AuthenticateWithAsync(api, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AuthenticationResult.Unavailable($"GitHub did not answer within {DurationText.Format(Timeout)}");
        }
        catch (HttpRequestException e)
        {
            return AuthenticationResult.Unavailable($"GitHub could not be reached at {ApiBase}: {e.Message}");
        }
        catch (IOException e)
        {
            return AuthenticationResult.Unavailable($"the connection to GitHub failed: {e.Message}");
        }
    }

    private async Task<AuthenticationResult> AuthenticateWithAsync(GitHubApiClient api, CancellationToken cancellationToken)
    {
        var user = await api.GetAsync<GitHubUserResponse>("user", cancellationToken);
        if (user.Failure is { } userFailure)
        {
            return userFailure;
        }
        var (login, id, email) = (user.Value!.Login, user.Value.Id, user.Value.Email);
        if (login is null || !IsName(login) || id <= 0)
        {
            return AuthenticationResult.Unavailable("GitHub's answer to GET /user has no usable login or id");
        }

        var organizations = await api.GetAllPagesAsync<GitHubOrganizationResponse>("user/orgs", "organisations", cancellationToken);
        if (organizations.Failure is { } organizationsFailure)
        {
            return organizationsFailure;
        }
        var teams = await api.GetAllPagesAsync<GitHubTeamResponse>("user/teams", "teams", cancellationToken);
        if (teams.Failure is { } teamsFailure)
        {
            return teamsFailure;
        }

        var memberOf = new SortedSet<string>(StringComparer.Ordinal);
        var teamGroups = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var organization in organizations.Value!)
        {
            // Names outside GitHub's alphabet are dropped: stops "acme/admins" as an organisation posing as a team of acme.
            if (organization?.Login is { } org && IsName(org))
            {
                memberOf.Add(org.ToLowerInvariant());
            }
        }
        foreach (var team in teams.Value!)
        {
            if (team?.Organization?.Login is { } org && IsName(org) && team.Slug is { } slug && IsName(slug))
            {
                // Every team belongs to an organisation its members are members of.
                memberOf.Add(org.ToLowerInvariant());
                teamGroups.Add($"{org.ToLowerInvariant()}/{slug.ToLowerInvariant()}");
            }
        }

        // The configured organisations bound who may authenticate at all, whatever the policy says.
        if (RequiredOrganizations.Count > 0 && !RequiredOrganizations.Any(memberOf.Contains))
        {
            var named = RequiredOrganizations.Count == 1
                ? $"the organisation \"{RequiredOrganizations[0]}\""
                : "any of the organisations " + string.Join(", ", RequiredOrganizations.Select(o => $"\"{o}\""));
            return AuthenticationResult.Forbidden($"GitHub user \"{login}\" is not a member of {named}");
        }

        var subject = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var claims = new Dictionary<string, string>(StringComparer.Ordinal) { ["login"] = login, ["id"] = subject };
        return AuthenticationResult.Success(new AuthenticatedIdentity(
            Name, subject, login, string.IsNullOrEmpty(email) ? null : email, [.. memberOf, .. teamGroups], claims));
    }

    /// <summary>Letters, digits, '-' and '_' (GitHub logins, managed-user suffixes, team slugs), within the sanity bound.</summary>
    internal static bool IsName(string value) =>
        value.Length is > 0 and <= MaxNameLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>RFC 6750 b64token: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/", then '=' padding.</summary>
    internal static bool IsBearerToken(string token)
    {
        if (token.Length is 0 or > MaxTokenLength)
        {
            return false;
        }
        var body = token.TrimEnd('=');
        return body.Length > 0 && body.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/');
    }

    private static Uri ParseApiUrl(string name, string url, bool allowHttp)
    {
        if (!Uri.TryCreate(url.Trim().TrimEnd('/') + "/", UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new InvalidOperationException($"identity provider \"{name}\": ApiUrl \"{url}\" is not an http(s) URL like {DefaultApiUrl} or https://HOST/api/v3");
        }
        // Plain http would hand every user's token to anyone on the path.
        if (uri.Scheme == "http" && !allowHttp)
        {
            throw new InvalidOperationException($"identity provider \"{name}\": ApiUrl \"{url}\" is plain http; use https (AllowHttp is for loopback tests only)");
        }
        return uri;
    }
}
