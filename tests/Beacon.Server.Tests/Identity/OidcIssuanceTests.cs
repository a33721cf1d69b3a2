using System.Net;
using System.Text.Json;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Server.Tests.Identity;

/// <summary>End to end: a token from the real OpenID provider, a certificate from the server, a real sshd as the judge.</summary>
public sealed class OidcIssuanceTests : IClassFixture<OidcProviderTests.Provider>
{
    private readonly OidcProviderTests.Provider _fixture;

    public OidcIssuanceTests(OidcProviderTests.Provider fixture) => _fixture = fixture;

    private BeaconServerFactory Server(string validation) => new(new Dictionary<string, string?>
    {
        ["Beacon:Providers:corp:Type"] = "oidc",
        ["Beacon:Providers:corp:Issuer"] = _fixture.Server.Issuer,
        ["Beacon:Providers:corp:Validation"] = validation,
        ["Beacon:Providers:corp:Audiences:0"] = OidcProviderServer.ApiAudience,
        ["Beacon:Providers:corp:AllowHttp"] = "true",
        ["Beacon:Policy:Policies:1:Name"] = "developers",
        ["Beacon:Policy:Policies:1:Subjects:0:Provider"] = "corp",
        ["Beacon:Policy:Policies:1:Subjects:0:Groups:0"] = "developers",
        ["Beacon:Policy:Policies:1:Principals:0"] = "{username}",
        ["Beacon:Policy:Policies:1:MaxTtl"] = "30m",
    });

    [RequiresNodeFact]
    public async Task AProviderTokenGetsACertificateThatSshdAccepts()
    {
        using var server = Server("local");
        using var key = Ed25519PrivateKey.Generate();
        var token = (await _fixture.Server.DeviceFlowAsync("alice", jwt: true)).AccessToken;
        using var client = server.CreateClient();
        using var response = await client.RequestCertificateAsync(token, new { public_key = key.PublicKey.ToOpenSshString(), ttl = "10m" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var certificate = SshCertificateParser.ParseLine(json.RootElement.GetProperty("certificate").GetString()!);
        Assert.Equal(["alice"], certificate.Principals);
        Assert.StartsWith("beacon:corp:alice:", certificate.KeyId, StringComparison.Ordinal);

        using var sshd = SshdServer.Start(new SshdOptions { TrustedUserCaKeys = [server.Cas.UserCa.PublicKey], Principals = SshdPrincipals.File });
        sshd.SetPrincipals("root", "alice");
        var login = SshLogin.WithKey(sshd, "root", key, certificate, "echo hello-alice");
        Assert.True(login.ExitCode == 0, $"{login}\n{sshd.Log}");
    }

    [RequiresNodeFact]
    public async Task RemoteValidationRefusesARevokedTokenOnTheNextRequest()
    {
        using var server = Server("userinfo");
        var key = Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString();
        var token = (await _fixture.Server.DeviceFlowAsync("alice", jwt: false)).AccessToken;
        using var client = server.CreateClient();
        using (var ok = await client.RequestCertificateAsync(token, new { public_key = key }))
        {
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        await _fixture.Server.RevokeAsync(token);
        using var refused = await client.RequestCertificateAsync(token, new { public_key = key });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [RequiresNodeFact]
    public async Task AUserOutsideThePolicysGroupsIs403()
    {
        using var server = Server("local");
        var token = (await _fixture.Server.DeviceFlowAsync("mallory", jwt: true)).AccessToken;
        using var client = server.CreateClient();
        using var response = await client.RequestCertificateAsync(token, new { public_key = Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString() });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
