using System.Net;
using System.Text;
using Beacon.Server.Hosting;
using Beacon.Server.Identity;
using Beacon.Testing;

namespace Beacon.Server.Tests.Identity;

/// <summary>The oidc provider against a real OpenID provider (npm oidc-provider), local and remote validation.</summary>
public sealed class OidcProviderTests : IClassFixture<OidcProviderTests.Provider>
{
    public sealed class Provider : IDisposable
    {
        private readonly Lazy<OidcProviderServer> _server = new(OidcProviderServer.Start);

        public OidcProviderServer Server => _server.Value;

        public void Dispose()
        {
            if (_server.IsValueCreated)
            {
                _server.Value.Dispose();
            }
        }
    }

    private static readonly AuthenticationContext Context = new(IPAddress.Loopback);
    private readonly Provider _fixture;

    public OidcProviderTests(Provider fixture) => _fixture = fixture;

    private OidcProviderServer Server => _fixture.Server;

    private OidcProvider Oidc(string validation) => new("corp", new ProviderOptions
    {
        Type = "oidc",
        Issuer = Server.Issuer,
        Validation = validation,
        Audiences = [OidcProviderServer.ApiAudience],
        ClientId = OidcProviderServer.ServerClientId,
        ClientSecret = OidcProviderServer.ServerClientSecret,
        AllowHttp = true,
    }, new HttpClient());

    private Dictionary<string, object> Claims(long expiresIn = 300, string? audience = null, string? issuer = null) => new()
    {
        ["iss"] = issuer ?? Server.Issuer,
        ["aud"] = audience ?? OidcProviderServer.ApiAudience,
        ["sub"] = "alice",
        ["preferred_username"] = "alice",
        ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 10,
        ["exp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + expiresIn,
    };

    [RequiresNodeFact]
    public async Task ValidJwtFromTheProviderGivesTheMappedIdentity()
    {
        var tokens = await Server.DeviceFlowAsync("bob", jwt: true);
        var result = await Oidc("local").AuthenticateAsync(tokens.AccessToken, Context, CancellationToken.None);
        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal("bob", result.Identity!.Username);
        Assert.Equal("bob@example.test", result.Identity.Email);
        Assert.Contains("ops", result.Identity.Groups);
    }

    [RequiresNodeFact]
    public async Task BadTokensAre401()
    {
        var oidc = Oidc("local");
        var genuine = (await Server.DeviceFlowAsync("alice", jwt: true)).AccessToken;
        var parts = genuine.Split('.');
        var payload = Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"alice\"", "\"admin\"", StringComparison.Ordinal);
        var publicPem = Encoding.UTF8.GetBytes(Convert.ToBase64String(Server.SigningKey.Rsa.ExportSubjectPublicKeyInfo()));
        var hs256 = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(
            System.Text.Json.JsonSerializer.Serialize(Claims()),
            new Microsoft.IdentityModel.Tokens.SigningCredentials(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(publicPem), "HS256"));
        var cases = new Dictionary<string, string>
        {
            ["expired"] = Server.Sign(Claims(expiresIn: -600)),
            ["wrong audience"] = Server.Sign(Claims(audience: "another-api")),
            ["wrong issuer"] = Server.Sign(Claims(issuer: "http://127.0.0.1:1/other")),
            ["alg none"] = $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64(System.Text.Json.JsonSerializer.Serialize(Claims()))}.",
            ["HS256 with the public key"] = hs256,
            ["tampered payload"] = $"{parts[0]}.{B64(payload)}.{parts[2]}",
        };
        foreach (var (name, token) in cases)
        {
            var result = await oidc.AuthenticateAsync(token, Context, CancellationToken.None);
            Assert.True(result.Status == 401, $"{name}: {result.Status} {result.Reason}");
        }
    }

    [RequiresNodeFact]
    public async Task UserinfoModeRefusesATokenRevokedAtTheProviderOnTheNextRequest()
    {
        var oidc = Oidc("userinfo");
        var token = (await Server.DeviceFlowAsync("alice", jwt: false)).AccessToken;
        var before = await oidc.AuthenticateAsync(token, Context, CancellationToken.None);
        Assert.True(before.Succeeded, before.Reason);
        Assert.Equal("alice", before.Identity!.Username);
        Assert.Contains("developers", before.Identity.Groups);
        await Server.RevokeAsync(token);
        var after = await oidc.AuthenticateAsync(token, Context, CancellationToken.None);
        Assert.Equal(401, after.Status);
    }

    [RequiresNodeFact]
    public async Task IntrospectionModeRefusesATokenRevokedAtTheProviderOnTheNextRequest()
    {
        var oidc = new OidcProvider("corp", new ProviderOptions
        {
            Type = "oidc", Issuer = Server.Issuer, Validation = "introspection", AllowHttp = true,
            ClientId = OidcProviderServer.ServerClientId, ClientSecret = OidcProviderServer.ServerClientSecret, UsernameClaim = "sub",
        }, new HttpClient());
        var token = (await Server.DeviceFlowAsync("bob", jwt: false)).AccessToken;
        var before = await oidc.AuthenticateAsync(token, Context, CancellationToken.None);
        Assert.True(before.Succeeded, before.Reason);
        await Server.RevokeAsync(token);
        Assert.Equal(401, (await oidc.AuthenticateAsync(token, Context, CancellationToken.None)).Status);
    }

    [RequiresNodeFact]
    public async Task ProviderDownIsUnavailable()
    {
        var oidc = new OidcProvider("corp", new ProviderOptions { Type = "oidc", Issuer = "http://127.0.0.1:1", Validation = "userinfo", AllowHttp = true }, new HttpClient());
        var result = await oidc.AuthenticateAsync("opaque-token", Context, CancellationToken.None);
        Assert.Equal(503, result.Status);
        await Task.CompletedTask;
    }

    private static string B64(string text) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(text);
}
