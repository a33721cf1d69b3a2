using System.Diagnostics;
using Beacon.Server.Hosting;
using Beacon.Server.Identity;
using Beacon.Server.Tests.Fixtures;

namespace Beacon.Server.Tests.Identity;

/// <summary>The github provider against the local double of GitHub's REST API.</summary>
public sealed class GitHubProviderTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();

    private GitHubApiDouble _github = null!;
    private GitHubUser _octocat = null!;
    private GitHubOrganization _acme = null!;

    public async Task InitializeAsync()
    {
        _github = await GitHubApiDouble.StartAsync();
        _octocat = _github.AddUser("octocat", email: "octocat@example.com", name: "The Octocat");
        _acme = _github.AddOrganization("Acme");
        _github.AddMember(_acme, _octocat);
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task ValidTokenInTheRequiredOrganisationGivesTheIdentityWithItsGroups()
    {
        var sre = _github.AddTeam(_acme, "Site Reliability");
        _github.AddTeamMember(sre, _octocat);
        var other = _github.AddOrganization("other-org");
        _github.AddTeamMember(_github.AddTeam(other, "Builders"), _octocat);
        var token = _github.IssueToken(_octocat);

        var result = await Provider(organizations: ["acme"]).AuthenticateAsync(token, Context, CancellationToken.None);

        Assert.True(result.Succeeded, result.Reason);
        var identity = result.Identity!;
        Assert.Equal("github", identity.Provider);
        Assert.Equal("octocat", identity.Username);
        Assert.Equal(_octocat.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), identity.Subject);
        Assert.Equal("octocat@example.com", identity.Email);
        Assert.Equal(["acme", "other-org", "acme/site-reliability", "other-org/builders"], identity.Groups);
        var user = _github.Requests.First(r => r.Path == "/user");
        Assert.Equal($"Bearer {token}", user.Authorization);
        Assert.Equal("application/vnd.github+json", user.Accept);
        Assert.Equal("2022-11-28", user.ApiVersion);
        Assert.StartsWith("BeaconSSH/", user.UserAgent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateEmailGivesAnIdentityWithoutEmail()
    {
        var hidden = _github.AddUser("hubot");
        var result = await Provider().AuthenticateAsync(_github.IssueToken(hidden), Context, CancellationToken.None);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Null(result.Identity!.Email);
        Assert.Empty(result.Identity.Groups);
    }

    [Fact]
    public async Task TokenRevokedAtGitHubIsInvalidOnTheVeryNextRequest()
    {
        var provider = Provider(organizations: ["acme"]);
        var token = _github.IssueToken(_octocat);
        Assert.True((await provider.AuthenticateAsync(token, Context, CancellationToken.None)).Succeeded);

        _github.RevokeToken(token);
        var result = await provider.AuthenticateAsync(token, Context, CancellationToken.None);

        Assert.Equal(401, result.Status);
        Assert.Contains("Bad credentials", result.Reason, StringComparison.Ordinal);
        // No cache: the second authentication asked GitHub again.
        Assert.Equal(2, _github.CountRequests("/user"));
    }

    [Fact]
    public async Task UnknownTokenIsInvalid()
    {
        var result = await Provider().AuthenticateAsync("gho_" + new string('x', 36), Context, CancellationToken.None);

        Assert.Equal(401, result.Status);
    }

    [Fact]
    public async Task UserOutsideTheRequiredOrganisationIsForbiddenNamingIt()
    {
        var outsider = _github.AddUser("mallory");
        _github.AddMember(_github.AddOrganization("elsewhere"), outsider);

        var result = await Provider(organizations: ["Acme"]).AuthenticateAsync(_github.IssueToken(outsider), Context, CancellationToken.None);

        Assert.Equal(403, result.Status);
        Assert.Contains("\"mallory\"", result.Reason, StringComparison.Ordinal);
        Assert.Contains("\"acme\"", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserRemovedFromTheOrganisationIsForbiddenOnTheNextRequest()
    {
        var provider = Provider(organizations: ["acme", "partners"]);
        var token = _github.IssueToken(_octocat);
        Assert.True((await provider.AuthenticateAsync(token, Context, CancellationToken.None)).Succeeded);

        _github.RemoveMember(_acme, _octocat);
        var result = await provider.AuthenticateAsync(token, Context, CancellationToken.None);

        Assert.Equal(403, result.Status);
        Assert.Contains("any of the organisations \"acme\", \"partners\"", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeamsPaginatedOverSeveralPagesAreAllSeen()
    {
        for (var i = 0; i < 250; i++)
        {
            _github.AddTeamMember(_github.AddTeam(_acme, $"Team {i:D3}"), _octocat);
        }

        var result = await Provider().AuthenticateAsync(_github.IssueToken(_octocat), Context, CancellationToken.None);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(251, result.Identity!.Groups.Count);
        Assert.Contains("acme/team-000", result.Identity.Groups);
        Assert.Contains("acme/team-249", result.Identity.Groups);
        Assert.Equal(3, _github.CountRequests("/user/teams"));
    }

    [Fact]
    public async Task ListLongerThanThePageCapIsRefusedNotReadForever()
    {
        for (var i = 0; i <= GitHubApiClient.MaxPages * GitHubApiClient.PerPage; i++)
        {
            _github.AddTeamMember(_github.AddTeam(_acme, $"Team {i:D4}"), _octocat);
        }

        var result = await Provider().AuthenticateAsync(_github.IssueToken(_octocat), Context, CancellationToken.None);

        Assert.Equal(403, result.Status);
        Assert.Contains("more than 1000 teams", result.Reason, StringComparison.Ordinal);
        Assert.Equal(GitHubApiClient.MaxPages, _github.CountRequests("/user/teams"));
    }

    [Fact]
    public async Task PaginationLinkToAnotherHostIsNotFollowedWithTheToken()
    {
        await using var elsewhere = await GitHubApiDouble.StartAsync();
        for (var i = 0; i < 150; i++)
        {
            _github.AddTeamMember(_github.AddTeam(_acme, $"Team {i}"), _octocat);
        }
        _github.PaginationLinkBase = elsewhere.ApiUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        var result = await Provider().AuthenticateAsync(_github.IssueToken(_octocat), Context, CancellationToken.None);

        Assert.Equal(503, result.Status);
        Assert.Contains("leads outside", result.Reason, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task GitHubEnterpriseApiUnderAPathPrefixWorks()
    {
        await using var enterprise = await GitHubApiDouble.StartAsync(apiPrefix: "/api/v3");
        var user = enterprise.AddUser("jdoe");
        var platform = enterprise.AddOrganization("platform");
        for (var i = 0; i < 120; i++)
        {
            enterprise.AddTeamMember(enterprise.AddTeam(platform, $"Squad {i}"), user);
        }

        var result = await Provider(apiUrl: enterprise.ApiUrl + "/", organizations: ["platform"])
            .AuthenticateAsync(enterprise.IssueToken(user), Context, CancellationToken.None);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(121, result.Identity!.Groups.Count);
        Assert.Equal(2, enterprise.CountRequests("/user/teams"));
    }

    [Fact]
    public async Task TokenWithoutTheOrgScopeIsForbiddenSayingWhy()
    {
        var result = await Provider().AuthenticateAsync(_github.IssueToken(_octocat, scopes: ""), Context, CancellationToken.None);

        Assert.Equal(403, result.Status);
        Assert.Contains("read:org", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHubDownIsUnavailable()
    {
        var provider = Provider();
        var token = _github.IssueToken(_octocat);
        await _github.StopAsync();

        var result = await provider.AuthenticateAsync(token, Context, CancellationToken.None);

        Assert.Equal(503, result.Status);
        Assert.Contains("could not be reached", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/user")]
    [InlineData("/user/teams")]
    public async Task GitHubServerErrorIsUnavailable(string path)
    {
        _github.Fault = GitHubFault.ServerError;
        _github.FaultPath = path;

        var result = await Provider().AuthenticateAsync(_github.IssueToken(_octocat), Context, CancellationToken.None);

        Assert.Equal(503, result.Status);
        Assert.Contains($"502 to GET {path}", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHubThatNeverAnswersIsUnavailableAfterTheTimeout()
    {
        _github.Fault = GitHubFault.Hang;
        var clock = Stopwatch.StartNew();

        var result = await Provider(timeout: "1s").AuthenticateAsync(_github.IssueToken(_octocat), Context, CancellationToken.None);

        Assert.Equal(503, result.Status);
        Assert.Contains("did not answer within 1s", result.Reason, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CallerCancellationIsNotReportedAsAnOutage()
    {
        _github.Fault = GitHubFault.Hang;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Provider().AuthenticateAsync(_github.IssueToken(_octocat), Context, cancel.Token));
    }

    [Theory]
    [InlineData(GitHubFault.EndlessBody)]
    [InlineData(GitHubFault.HugeDeclaredBody)]
    public async Task HugeResponseBodyIsUnavailableWithoutBeingRead(GitHubFault fault)
    {
        _github.Fault = fault;

        var result = await Provider().AuthenticateAsync(_github.IssueToken(_octocat), Context, CancellationToken.None);

        Assert.Equal(503, result.Status);
        Assert.Contains($"larger than {GitHubApiClient.MaxResponseBytes} bytes", result.Reason, StringComparison.Ordinal);
        // The double writes until the client goes away: what left it is the bound plus buffers, not gigabytes.
        await Task.Delay(200);
        Assert.InRange(_github.BytesSent, 0, 16L << 20);
    }

    [Theory]
    [InlineData(GitHubFault.RateLimited, "until ")]
    [InlineData(GitHubFault.TooManyRequests, "until ")]
    [InlineData(GitHubFault.SecondaryRateLimited, "secondary limit, retry after 60 s")]
    public async Task RateLimitIsUnavailableWithAClearReason(GitHubFault fault, string detail)
    {
        _github.Fault = fault;

        var result = await Provider().AuthenticateAsync(_github.IssueToken(_octocat), Context, CancellationToken.None);

        Assert.Equal(503, result.Status);
        Assert.Contains("rate limit is exhausted", result.Reason, StringComparison.Ordinal);
        Assert.Contains(detail, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrganisationNameThatCouldPoseAsATeamIsDropped()
    {
        _github.AddMember(_github.AddOrganization("acme/admins"), _octocat);

        var result = await Provider().AuthenticateAsync(_github.IssueToken(_octocat), Context, CancellationToken.None);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(["acme"], result.Identity!.Groups);
    }

    [Theory]
    [InlineData("header injection", "gho_abc\r\nX-Evil: 1")]
    [InlineData("space", "gho_abc def")]
    [InlineData("empty", "")]
    [InlineData("too long", null)]
    public async Task MalformedTokenIsInvalidWithoutAskingGitHub(string description, string? token)
    {
        token ??= "gho_" + new string('x', GitHubProvider.MaxTokenLength);
        var result = await Provider().AuthenticateAsync(token, Context, CancellationToken.None);

        Assert.True(result.Status == 401, description);
        Assert.Empty(_github.Requests);
    }

    [Theory]
    [InlineData("gho_16C7e42F292c6912E7710c838347Ae178B4a", true)]
    [InlineData("ghu_16C7e42F292c6912E7710c838347Ae178B4a", true)]
    [InlineData("ghp_16C7e42F292c6912E7710c838347Ae178B4a", true)]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW", true)]
    [InlineData("ghs_16C7e42F292c6912E7710c838347Ae178B4a", true)]
    [InlineData("beacon-ott-abc", false)]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", false)]
    public void ClaimsGitHubTokenShapesOnly(string token, bool claimed)
    {
        Assert.Equal(claimed, Provider().Claims(token));
    }

    [Theory]
    [InlineData("plain http", "http://github.example.com", false)]
    [InlineData("not a URL", "github.example.com/api/v3", true)]
    [InlineData("query", "https://github.example.com/api/v3?x=1", true)]
    [InlineData("credentials", "https://user:pass@github.example.com/api/v3", true)]
    public void UnusableApiUrlIsRefusedAtStart(string description, string apiUrl, bool allowHttp)
    {
        var options = new ProviderOptions { Type = "github", ApiUrl = apiUrl, AllowHttp = allowHttp };

        var error = Assert.Throws<InvalidOperationException>(() => new GitHubProvider("gh", options, Http));
        Assert.Contains("ApiUrl", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Fact]
    public void DefaultsAreGitHubDotCom()
    {
        var provider = new GitHubProvider("gh", new ProviderOptions { Type = "github" }, Http);

        Assert.Equal("https://api.github.com/", provider.ApiBase.ToString());
        Assert.Equal(GitHubProvider.DefaultTimeout, provider.Timeout);
        Assert.Empty(provider.RequiredOrganizations);
    }

    private static AuthenticationContext Context => new(System.Net.IPAddress.Loopback);

    private GitHubProvider Provider(string[]? organizations = null, string? apiUrl = null, string? timeout = null) =>
        new("github", new ProviderOptions
        {
            Type = "github",
            ApiUrl = apiUrl ?? _github.ApiUrl,
            AllowHttp = true,
            Organizations = [.. organizations ?? []],
            Timeout = timeout,
        }, Http);
}
