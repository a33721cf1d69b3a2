using System.Net;
using Beacon.Server.Hosting;
using Beacon.Server.Identity;
using Beacon.Testing;

namespace Beacon.Server.Tests.Identity;

/// <summary>CI workload tokens shaped like GitHub Actions' OIDC tokens, from a real issuer's keys, bound as Vault's JWT roles bind them.</summary>
public sealed class JwtProviderTests : IClassFixture<OidcProviderTests.Provider>
{
    private readonly OidcProviderTests.Provider _fixture;

    public JwtProviderTests(OidcProviderTests.Provider fixture) => _fixture = fixture;

    private OidcProviderServer Server => _fixture.Server;

    private JwtProvider Provider(params string[] cidrs) => new("actions", new ProviderOptions
    {
        Type = "jwt",
        Issuer = Server.Issuer,
        Audiences = ["beacon-ci"],
        UsernameClaim = "actor",
        BoundClaims = new() { ["repository"] = "acme/deploy-*", ["ref"] = "refs/heads/main" },
        BoundCidrs = [.. cidrs],
        AllowHttp = true,
    }, new HttpClient());

    private string ActionsToken(string repository, string gitRef, string audience = "beacon-ci") => Server.Sign(new Dictionary<string, object>
    {
        ["iss"] = Server.Issuer,
        ["aud"] = audience,
        ["sub"] = $"repo:{repository}:ref:{gitRef}",
        ["repository"] = repository,
        ["ref"] = gitRef,
        ["actor"] = "octocat",
        ["workflow"] = "deploy",
        ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["exp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 300,
    });

    [RequiresNodeFact]
    public async Task TokenOfTheBoundRepositoryAndBranchIsAccepted()
    {
        var result = await Provider().AuthenticateAsync(ActionsToken("acme/deploy-web", "refs/heads/main"), new(IPAddress.Loopback), CancellationToken.None);
        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal("octocat", result.Identity!.Username);
        Assert.Equal("acme/deploy-web", result.Identity.Claims["repository"]);
    }

    [RequiresNodeFact]
    public async Task AnotherRepositoryIs403NamingTheClaim()
    {
        var result = await Provider().AuthenticateAsync(ActionsToken("evil/deploy-web", "refs/heads/main"), new(IPAddress.Loopback), CancellationToken.None);
        Assert.Equal(403, result.Status);
        Assert.Contains("claim \"repository\" value \"evil/deploy-web\"", result.Reason, StringComparison.Ordinal);
    }

    [RequiresNodeFact]
    public async Task AnotherBranchIs403NamingTheClaim()
    {
        var result = await Provider().AuthenticateAsync(ActionsToken("acme/deploy-web", "refs/heads/feature"), new(IPAddress.Loopback), CancellationToken.None);
        Assert.Equal(403, result.Status);
        Assert.Contains("claim \"ref\" value \"refs/heads/feature\" does not match \"refs/heads/main\"", result.Reason, StringComparison.Ordinal);
    }

    [RequiresNodeFact]
    public async Task AnAddressOutsideTheBoundCidrsIs403()
    {
        var result = await Provider("10.0.0.0/8").AuthenticateAsync(ActionsToken("acme/deploy-web", "refs/heads/main"), new(IPAddress.Loopback), CancellationToken.None);
        Assert.Equal(403, result.Status);
        Assert.Contains("127.0.0.1", result.Reason, StringComparison.Ordinal);
    }

    [RequiresNodeFact]
    public async Task ATokenForAnotherAudienceIs401()
    {
        var result = await Provider().AuthenticateAsync(ActionsToken("acme/deploy-web", "refs/heads/main", audience: "sts.amazonaws.com"), new(IPAddress.Loopback), CancellationToken.None);
        Assert.Equal(401, result.Status);
    }
}
