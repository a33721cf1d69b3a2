using System.Net;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Tests.Identity;

/// <summary>Certificates through the API for GitHub users, GitHub being the local double.</summary>
public sealed class GitHubIssuanceTests : IAsyncLifetime
{
    private GitHubApiDouble _github = null!;
    private BeaconServerFactory _server = null!;

    public async Task InitializeAsync()
    {
        _github = await GitHubApiDouble.StartAsync();
        _server = new BeaconServerFactory(new Dictionary<string, string?>
        {
            ["Beacon:Providers:github:Type"] = "github",
            ["Beacon:Providers:github:ApiUrl"] = _github.Url,
            ["Beacon:Providers:github:AllowHttp"] = "true",
            ["Beacon:Providers:github:Organizations:0"] = "acme",
            ["Beacon:Policy:Policies:1:Name"] = "acme-ops",
            ["Beacon:Policy:Policies:1:Subjects:0:Provider"] = "github",
            ["Beacon:Policy:Policies:1:Subjects:0:Groups:0"] = "acme/ops",
            ["Beacon:Policy:Policies:1:Principals:0"] = "{username}",
            ["Beacon:Policy:Policies:1:Principals:1"] = "deploy",
        });
    }

    public async Task DisposeAsync()
    {
        _server.Dispose();
        await _github.DisposeAsync();
    }

    private static readonly string Key = Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString();

    [Fact]
    public async Task OrganisationMemberGetsACertificateUntilTheTokenIsRevoked()
    {
        var token = _github.AddUser(new(7, "octocat", null, ["acme"], [("acme", "ops")]));
        using var client = _server.CreateClient();
        using (var ok = await client.RequestCertificateAsync(token, new { public_key = Key, principals = new[] { "deploy" } }))
        {
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        _github.Revoke(token);
        using var revoked = await client.RequestCertificateAsync(token, new { public_key = Key });
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task NonMemberGets403()
    {
        var token = _github.AddUser(new(8, "stranger", null, ["other"], []));
        using var client = _server.CreateClient();
        using var response = await client.RequestCertificateAsync(token, new { public_key = Key });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not a member", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberOutsideThePolicysTeamIsRefusedByPolicy()
    {
        var token = _github.AddUser(new(9, "intern", null, ["acme"], [("acme", "interns")]));
        using var client = _server.CreateClient();
        using var response = await client.RequestCertificateAsync(token, new { public_key = Key });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("no policy grants", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
