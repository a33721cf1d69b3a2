using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Server.Revocation;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Krl;
using Beacon.Testing;

namespace Beacon.Server.Tests.Revocation;

/// <summary>
/// `beacon-server cert revoke` against a running server's data directory: the running server's next KRL
/// carries the revocation, ssh-keygen agrees, its signature verifies with ssh-keygen -Y verify, and a
/// real sshd using it as RevokedKeys refuses the revoked certificate and accepts a live one.
/// </summary>
public sealed class RevocationCommandTests : IClassFixture<ServerProcessFixture>
{
    private readonly ServerProcess _server;

    public RevocationCommandTests(ServerProcessFixture server) => _server = server.Process;

    private string DataDir => Path.Combine(_server.Data.Path, "data");

    private ProcessResult Command(params string[] args) => _server.Command([.. args, "--data-dir", DataDir]);

    private async Task<SshCertificate> IssueAsync(string user, SshPrivateKey key)
    {
        var token = Command("token", "create", "--user", user, "--principals", user).StandardOutput.Trim();
        using var client = _server.CreateClient(token);
        using var response = await client.PostAsJsonAsync("/v1/certificates/user", new { public_key = key.PublicKey.ToOpenSshString() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return SshCertificateParser.ParseLine(json.RootElement.GetProperty("certificate").GetString()!);
    }

    [RequiresOpenSshFact]
    public async Task RevokedBySerialCommandTheServedKrlMakesSshdRefuseItAndAcceptALiveOne()
    {
        using var key = Ed25519PrivateKey.Generate();
        var revoked = await IssueAsync("root", key);
        var live = await IssueAsync("root", key);

        var revoke = Command("cert", "revoke", "--serial", revoked.Serial.ToString(), "--reason", "laptop stolen");
        Assert.True(revoke.ExitCode == 0, revoke.ToString());

        using var client = _server.CreateClient();
        var krl = await client.GetByteArrayAsync("/v1/trust/krl");
        var signature = await client.GetStringAsync("/v1/trust/krl.sig");
        var revocationKey = SshPublicKeyParser.ParseLine((await client.GetStringAsync("/v1/trust/revocation-key.pub")).Trim());
        // The key served is the one init wrote beside the CA keys.
        Assert.Equal(revocationKey, SshPublicKeyParser.ParseLine(File.ReadAllText(RevocationKeyFiles.PublicKeyPath(Path.Combine(DataDir, "ca"))).Trim()));
        Assert.True(KrlParser.Parse(krl).IsRevoked(revoked));
        Assert.False(KrlParser.Parse(krl).IsRevoked(live));

        using var temp = new TempDirectory();
        var krlPath = temp.File("krl");
        File.WriteAllBytes(krlPath, krl);
        var verify = SshKeygenSig.Verify(temp, revocationKey, RevocationKey.Identity, RevocationKey.SignatureNamespace, temp.Write("krl.sig", signature), krlPath);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal(1, OpenSsh.Keygen("-Q", "-f", krlPath, temp.Write("revoked.pub", revoked.ToOpenSshString() + "\n")).ExitCode);
        Assert.Equal(0, OpenSsh.Keygen("-Q", "-f", krlPath, temp.Write("live.pub", live.ToOpenSshString() + "\n")).ExitCode);

        using var sshd = SshdServer.Start(new SshdOptions { TrustedUserCaKeys = [revoked.SignatureKey], RevokedKeys = krl, Principals = SshdPrincipals.File });
        sshd.SetPrincipals("root", "root");
        var refused = SshLogin.WithKey(sshd, "root", key, revoked);
        Assert.True(refused.ExitCode != 0, $"sshd accepted a revoked certificate\n{sshd.Log}");
        var accepted = SshLogin.WithKey(sshd, "root", key, live);
        Assert.True(accepted.ExitCode == 0, $"{accepted}\n{sshd.Log}");
    }

    [RequiresOpenSshFact]
    public async Task RevokedByPublicKeyCommandEveryCertificateForTheKeyIsInTheKrl()
    {
        using var key = Ed25519PrivateKey.Generate();
        var certificate = await IssueAsync("judy", key);
        using var temp = new TempDirectory();
        var keyFile = temp.Write("judy.pub", key.PublicKey.ToOpenSshString("judy@laptop") + "\n");

        var revoke = Command("cert", "revoke", "--public-key", keyFile);
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        Assert.Contains(key.PublicKey.Fingerprint, revoke.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(certificate.Serial.ToString(), revoke.StandardOutput, StringComparison.Ordinal);

        using var client = _server.CreateClient();
        var krl = await client.GetByteArrayAsync("/v1/trust/krl");
        Assert.True(KrlParser.Parse(krl).IsRevoked(key.PublicKey));
        var krlPath = temp.File("krl");
        File.WriteAllBytes(krlPath, krl);
        Assert.Equal(1, OpenSsh.Keygen("-Q", "-f", krlPath, temp.Write("cert.pub", certificate.ToOpenSshString() + "\n")).ExitCode);

        var again = Command("cert", "revoke", "--public-key", keyFile);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("revoked already", again.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void RevokeNeedsExactlyOneTarget()
    {
        var none = Command("cert", "revoke");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("exactly one of --serial, --public-key or --user", none.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, Command("cert", "revoke", "--serial", "5", "--user", "x").ExitCode);
        Assert.Equal(1, Command("cert", "revoke", "--public-key", "/nonexistent.pub").ExitCode);
    }
}
