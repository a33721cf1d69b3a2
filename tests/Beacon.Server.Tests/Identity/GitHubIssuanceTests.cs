using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Tests.Identity;

/// <summary>Certificates through the API for GitHub users, GitHub being the local double.</summary>
public sealed class GitHubIssuanceTests : IAsyncLifetime
{
    private static readonly string Key = Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString();

    private GitHubApiDouble _github = null!;
    private GitHubOrganization _acme = null!;
    private BeaconServerFactory _server = null!;

    public async Task InitializeAsync()
    {
        _github = await GitHubApiDouble.StartAsync();
        _acme = _github.AddOrganization("acme");
        _server = new BeaconServerFactory(new Dictionary<string, string?>
        {
            ["Beacon:Providers:github:Type"] = "github",
            ["Beacon:Providers:github:ApiUrl"] = _github.ApiUrl,
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

    [Fact]
    public async Task OrganisationMemberGetsACertificateUntilTheTokenIsRevoked()
    {
        var token = _github.IssueToken(TeamMember("octocat", "Ops"));
        using var client = _server.CreateClient();
        using (var ok = await client.RequestCertificateAsync(token, new { public_key = Key, principals = new[] { "deploy" } }))
        {
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
            var certificate = SshCertificateParser.ParseLine((await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("certificate").GetString()!);
            Assert.Equal(["deploy"], certificate.Principals);
            Assert.StartsWith("beacon:github:octocat:", certificate.KeyId, StringComparison.Ordinal);
        }
        _github.RevokeToken(token);
        using var revoked = await client.RequestCertificateAsync(token, new { public_key = Key });
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("Bad credentials", await revoked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonMemberGets403()
    {
        var stranger = _github.AddUser("stranger");
        _github.AddMember(_github.AddOrganization("other"), stranger);
        using var client = _server.CreateClient();
        using var response = await client.RequestCertificateAsync(_github.IssueToken(stranger), new { public_key = Key });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not a member", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberOutsideThePolicysTeamIsRefusedByPolicy()
    {
        var token = _github.IssueToken(TeamMember("intern", "Interns"));
        using var client = _server.CreateClient();
        using var response = await client.RequestCertificateAsync(token, new { public_key = Key });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("no policy grants", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHubDownGets503AndNoCertificate()
    {
        var token = _github.IssueToken(TeamMember("octocat", "Ops"));
        await _github.StopAsync();
        using var client = _server.CreateClient();
        using var response = await client.RequestCertificateAsync(token, new { public_key = Key });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("\"certificate\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private GitHubUser TeamMember(string login, string team)
    {
        var user = _github.AddUser(login);
        _github.AddTeamMember(_github.AddTeam(_acme, team), user);
        return user;
    }
}
