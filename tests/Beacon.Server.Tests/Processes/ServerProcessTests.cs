using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Server.Tests.Processes;

/// <summary>
/// The signing path through the real beacon-server process over pinned HTTPS, with a real sshd as the
/// judge of what it issues.
/// </summary>
public sealed class ServerProcessTests : IClassFixture<ServerProcessFixture>
{
    private readonly ServerProcess _server;

    public ServerProcessTests(ServerProcessFixture server) => _server = server.Process;

    public static TheoryData<string, string[], object?, HttpStatusCode> Cases() => new()
    {
        { "ok-defaults", ["root"], null, HttpStatusCode.Created },
        { "ok-ttl", ["root"], new { ttl = "5m" }, HttpStatusCode.Created },
        { "fail-ttl-over-policy-max", ["root"], new { ttl = "2h" }, HttpStatusCode.Forbidden },
        { "fail-principal-not-granted", ["root"], new { principals = new[] { "admin" } }, HttpStatusCode.Forbidden },
        { "fail-empty-principals", ["root"], new { principals = Array.Empty<string>() }, HttpStatusCode.BadRequest },
    };

    [RequiresOpenSshTheory]
    [MemberData(nameof(Cases))]
    public async Task SigningRequestThroughTheRealServer(string name, string[] principals, object? extra, HttpStatusCode expected)
    {
        using var key = Ed25519PrivateKey.Generate();
        var token = MintToken("alice", principals);
        using var client = _server.CreateClient(token);
        var body = JsonSerializer.SerializeToNode(extra ?? new { })!.AsObject();
        body["public_key"] = key.PublicKey.ToOpenSshString();
        using var response = await client.PostAsJsonAsync("/v1/certificates/user", body);
        Assert.True(expected == response.StatusCode, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [RequiresOpenSshFact]
    public async Task IssuedCertificateIsAcceptedBySshdForItsPrincipalOnly()
    {
        using var key = Ed25519PrivateKey.Generate();
        using var client = _server.CreateClient(MintToken("alice", ["root"]));
        using var response = await client.PostAsJsonAsync("/v1/certificates/user", new { public_key = key.PublicKey.ToOpenSshString() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var certificate = SshCertificateParser.ParseLine(json.RootElement.GetProperty("certificate").GetString()!);

        using var anonymous = _server.CreateClient();
        var userCa = SshPublicKeyParser.ParseLine(await anonymous.GetStringAsync("/v1/trust/user-ca.pub"));
        using var sshd = SshdServer.Start(new SshdOptions { TrustedUserCaKeys = [userCa], Principals = SshdPrincipals.File });
        sshd.SetPrincipals("root", "root");
        var accepted = SshLogin.WithKey(sshd, "root", key, certificate, "echo beacon-ok");
        Assert.True(accepted.ExitCode == 0, $"{accepted}\n{sshd.Log}");
        Assert.Contains("beacon-ok", accepted.StandardOutput, StringComparison.Ordinal);

        sshd.SetPrincipals("root", "someone-else");
        var refused = SshLogin.WithKey(sshd, "root", key, certificate);
        Assert.NotEqual(0, refused.ExitCode);
    }

    [RequiresOpenSshFact]
    public async Task TheServerRefusesAClientThatDoesNotPinItsCertificate()
    {
        using var unpinned = new HttpClient { BaseAddress = new Uri(_server.Url) };
        await Assert.ThrowsAsync<HttpRequestException>(() => unpinned.GetAsync("/healthz"));
    }

    [RequiresOpenSshFact]
    public void AuditVerifyPassesAfterIssuance()
    {
        var result = _server.Command("audit", "verify", "--data-dir", Path.Combine(_server.Data.Path, "data"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("audit chain intact", result.StandardOutput, StringComparison.Ordinal);
    }

    private string MintToken(string user, string[] principals)
    {
        var result = _server.Command("token", "create", "--data-dir", Path.Combine(_server.Data.Path, "data"), "--user", user, "--principals", string.Join(',', principals));
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Trim();
    }
}
