using System.Net;
using System.Text.Json;
using Beacon.Server.Tests.Fixtures;

namespace Beacon.Server.Tests.Api;

/// <summary>GET /v1/login-config: public, and only public parameters (never a client secret).</summary>
public sealed class LoginConfigEndpointTests
{
    private static BeaconServerFactory Server() => new(new Dictionary<string, string?>
    {
        ["Beacon:Providers:corp:Type"] = "oidc",
        ["Beacon:Providers:corp:Issuer"] = "https://idp.example.com",
        ["Beacon:Providers:corp:Validation"] = "introspection",
        ["Beacon:Providers:corp:ClientId"] = "beacon-server",
        ["Beacon:Providers:corp:ClientSecret"] = "s3cret-never-served",
        ["Beacon:Providers:corp:Login:ClientId"] = "beacon-cli",
        ["Beacon:Providers:corp:Login:Scopes:0"] = "openid",
        ["Beacon:Providers:corp:Login:Scopes:1"] = "api",
        ["Beacon:Providers:corp:Login:Resource"] = "urn:beacon:api",
        ["Beacon:Providers:gh:Type"] = "github",
        ["Beacon:Providers:gh:Login:ClientId"] = "Ov23liABC",
        ["Beacon:Providers:gh:Login:WebUrl"] = "https://github.example.com/",
        ["Beacon:Providers:actions:Type"] = "jwt",
        ["Beacon:Providers:actions:Issuer"] = "https://token.actions.githubusercontent.com",
        ["Beacon:Providers:actions:Audiences:0"] = "beacon-ci",
        ["Beacon:Providers:plain:Type"] = "oidc",
        ["Beacon:Providers:plain:Issuer"] = "https://other.example.com",
        ["Beacon:Providers:plain:Audiences:0"] = "api",
    });

    [Fact]
    public async Task DescribesEachProviderWithoutAuthenticationOrSecrets()
    {
        using var server = Server();
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/v1/login-config");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.DoesNotContain("s3cret", body, StringComparison.Ordinal);
        Assert.DoesNotContain("beacon-server", body, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(body);
        var providers = json.RootElement.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        var corp = providers["corp"];
        Assert.Equal("oidc", corp.GetProperty("type").GetString());
        Assert.True(corp.GetProperty("device_flow").GetBoolean());
        Assert.Equal("https://idp.example.com", corp.GetProperty("issuer").GetString());
        Assert.Equal("beacon-cli", corp.GetProperty("client_id").GetString());
        Assert.Equal(["openid", "api"], corp.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("urn:beacon:api", corp.GetProperty("resource").GetString());

        var gh = providers["gh"];
        Assert.Equal("https://github.example.com/login/device/code", gh.GetProperty("device_authorization_endpoint").GetString());
        Assert.Equal("https://github.example.com/login/oauth/access_token", gh.GetProperty("token_endpoint").GetString());
        Assert.Equal(["read:org"], gh.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        Assert.Equal(["beacon-ci"], providers["actions"].GetProperty("audiences").EnumerateArray().Select(s => s.GetString()));
        Assert.False(providers["actions"].GetProperty("device_flow").GetBoolean());
        // An OIDC provider without a CLI client id has no device login.
        Assert.False(providers["plain"].GetProperty("device_flow").GetBoolean());
        Assert.Equal("token", providers["token"].GetProperty("type").GetString());
    }

    [Fact]
    public async Task GitHubDefaultsToGitHubDotCom()
    {
        using var server = new BeaconServerFactory(new Dictionary<string, string?>
        {
            ["Beacon:Providers:gh:Type"] = "github",
            ["Beacon:Providers:gh:Login:ClientId"] = "Ov23liABC",
        });
        using var client = server.CreateClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/v1/login-config"));
        var gh = json.RootElement.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "gh");
        Assert.Equal("https://github.com/login/device/code", gh.GetProperty("device_authorization_endpoint").GetString());
    }
}
