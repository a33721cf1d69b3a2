using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Server.Hosting;
using Beacon.Server.Signing;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Beacon.Server.Tests.Api;

/// <summary>
/// The signing request with the github provider, configured as an operator would (appsettings keys), on
/// the server's real middleware and endpoints over loopback HTTP and SQLite, against the GitHub double.
/// </summary>
public sealed class GitHubIssuanceTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();
    private GitHubApiDouble _github = null!;
    private GitHubUser _octocat = null!;
    private GitHubOrganization _acme = null!;
    private WebApplication _server = null!;
    private string _publicKey = null!;

    public async Task InitializeAsync()
    {
        _github = await GitHubApiDouble.StartAsync();
        _octocat = _github.AddUser("octocat", email: "octocat@example.com");
        _acme = _github.AddOrganization("acme");
        _github.AddTeamMember(_github.AddTeam(_acme, "Site Reliability"), _octocat);
        using var subjectKey = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        _publicKey = subjectKey.PublicKey.ToOpenSshString("octocat@laptop");

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Beacon:DataDir"] = _data.Path,
            ["Beacon:Providers:github:Type"] = "github",
            ["Beacon:Providers:github:ApiUrl"] = _github.ApiUrl,
            ["Beacon:Providers:github:AllowHttp"] = "true",
            ["Beacon:Providers:github:Organizations:0"] = "acme",
            ["Beacon:Policy:Policies:0:Name"] = "sre",
            ["Beacon:Policy:Policies:0:Subjects:0:Provider"] = "github",
            ["Beacon:Policy:Policies:0:Subjects:0:Groups:0"] = "acme/site-reliability",
            ["Beacon:Policy:Policies:0:Principals:0"] = "{username}",
        });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var cas = new CaKeyRing(SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519), SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519));
        builder.Services.AddBeaconServer(builder.Configuration, cas, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _server = builder.Build();
        _server.UseBeaconServer();
        await _server.StartAsync();
        _http.BaseAddress = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.StopAsync();
        await _server.DisposeAsync();
        await _github.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    [Fact]
    public async Task TokenOfAMemberOfTheRequiredOrganisationGetsACertificate()
    {
        using var response = await RequestCertificateAsync(_github.IssueToken(_octocat));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var certificate = SshCertificateParser.ParseLine(body.GetProperty("certificate").GetString()!);
        Assert.Equal(["octocat"], certificate.Principals);
        Assert.StartsWith("beacon:github:octocat:", certificate.KeyId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenRevokedAtGitHubGets401OnTheNextRequest()
    {
        var token = _github.IssueToken(_octocat);
        using (var first = await RequestCertificateAsync(token))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        _github.RevokeToken(token);
        using var second = await RequestCertificateAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Contains("Bad credentials", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserOutsideTheOrganisationGets403NamingIt()
    {
        var outsider = _github.AddUser("mallory");

        using var response = await RequestCertificateAsync(_github.IssueToken(outsider));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not a member of the organisation \\u0022acme\\u0022", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberOutsideThePolicysTeamIsRefusedByPolicy()
    {
        var member = _github.AddUser("newhire");
        _github.AddMember(_acme, member);

        using var response = await RequestCertificateAsync(_github.IssueToken(member));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("no policy grants github user", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHubDownGets503AndNoCertificate()
    {
        var token = _github.IssueToken(_octocat);
        await _github.StopAsync();

        using var response = await RequestCertificateAsync(token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("certificate\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> RequestCertificateAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/certificates/user") { Content = JsonContent.Create(new { public_key = _publicKey }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }
}
