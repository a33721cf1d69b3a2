using System.Net;
using Beacon.Server.Hosting;
using Beacon.Server.Identity;
using Beacon.Server.Tests.Fixtures;

namespace Beacon.Server.Tests.Identity;

/// <summary>The GitHub provider against a local double of GitHub's REST API.</summary>
public sealed class GitHubProviderTests : IAsyncLifetime
{
    private GitHubApiDouble _github = null!;

    public async Task InitializeAsync() => _github = await GitHubApiDouble.StartAsync();

    public async Task DisposeAsync() => await _github.DisposeAsync();

    private GitHubProvider Provider(params string[] organizations) =>
        new("github", new ProviderOptions { Type = "github", ApiUrl = _github.Url, AllowHttp = true, Organizations = [.. organizations] }, new HttpClient());

    private static readonly AuthenticationContext Context = new(IPAddress.Loopback);

    [Fact]
    public async Task ValidTokenInTheOrganisationGivesAnIdentityWithGroups()
    {
        var token = _github.AddUser(new(42, "octocat", "octo@example.com", ["Acme"], [("Acme", "ops")]));
        var result = await Provider("acme").AuthenticateAsync(token, Context, CancellationToken.None);
        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal("octocat", result.Identity!.Username);
        Assert.Equal("42", result.Identity.Subject);
        Assert.Equal("octo@example.com", result.Identity.Email);
        Assert.Contains("acme", result.Identity.Groups);
        Assert.Contains("acme/ops", result.Identity.Groups);
    }

    [Fact]
    public async Task TokenRevokedAtGitHubFailsOnTheVeryNextRequest()
    {
        var provider = Provider();
        var token = _github.AddUser(new(1, "alice", null, [], []));
        Assert.True((await provider.AuthenticateAsync(token, Context, CancellationToken.None)).Succeeded);
        _github.Revoke(token);
        var after = await provider.AuthenticateAsync(token, Context, CancellationToken.None);
        Assert.Equal(401, after.Status);
        Assert.Contains("Bad credentials", after.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserOutsideTheRequiredOrganisationIsForbidden()
    {
        var token = _github.AddUser(new(2, "mallory", null, ["elsewhere"], []));
        var result = await Provider("acme").AuthenticateAsync(token, Context, CancellationToken.None);
        Assert.Equal(403, result.Status);
        Assert.Contains("\"acme\"", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeamsOverSeveralPagesAreAllSeen()
    {
        var teams = Enumerable.Range(0, 250).Select(i => ("acme", $"team-{i}")).ToArray();
        var token = _github.AddUser(new(3, "bob", null, ["acme"], teams));
        var result = await Provider().AuthenticateAsync(token, Context, CancellationToken.None);
        Assert.True(result.Succeeded, result.Reason);
        Assert.Contains("acme/team-0", result.Identity!.Groups);
        Assert.Contains("acme/team-249", result.Identity.Groups);
    }

    [Fact]
    public async Task GitHubDownIsUnavailableNotAnError()
    {
        var token = _github.AddUser(new(4, "carol", null, [], []));
        _github.ForcedStatus = 502;
        var result = await Provider().AuthenticateAsync(token, Context, CancellationToken.None);
        Assert.Equal(503, result.Status);
    }

    [Fact]
    public async Task GitHubUnreachableIsUnavailable()
    {
        var provider = new GitHubProvider("github", new ProviderOptions { Type = "github", ApiUrl = "http://127.0.0.1:1", AllowHttp = true }, new HttpClient());
        var result = await provider.AuthenticateAsync("gho_x", Context, CancellationToken.None);
        Assert.Equal(503, result.Status);
    }

    [Fact]
    public async Task AHugeResponseIsRefusedNotRead()
    {
        var token = _github.AddUser(new(5, "dave", null, [], []));
        _github.HugeBodyBytes = 5 * 1024 * 1024;
        var result = await Provider().AuthenticateAsync(token, Context, CancellationToken.None);
        Assert.Equal(503, result.Status);
        Assert.Contains("too large", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyGitHubShapedTokensAreClaimed()
    {
        var provider = Provider();
        Assert.True(provider.Claims("gho_abc"));
        Assert.True(provider.Claims("github_pat_abc"));
        Assert.False(provider.Claims("beacon-ott-abc"));
        Assert.False(provider.Claims("eyJ.eyJ.sig"));
    }
}
