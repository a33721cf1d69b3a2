using Beacon.Client;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Client.Tests;

/// <summary>The typed client against the real server over pinned TLS, and what it issues judged by a real sshd.</summary>
public sealed class BeaconClientTests : IClassFixture<ServerProcessFixture>
{
    private readonly ServerProcess _server;

    public BeaconClientTests(ServerProcessFixture server) => _server = server.Process;

    private BeaconClient Client() => new(new Uri(_server.Url), _server.Fingerprint);

    private string Token(string user, string principals)
    {
        var result = _server.Command("token", "create", "--data-dir", Path.Combine(_server.Data.Path, "data"), "--user", user, "--principals", principals);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Trim();
    }

    [RequiresOpenSshFact]
    public async Task ABackendGetsACertificateForAnInMemoryKeyAndSshWorksWithIt()
    {
        using var client = Client();
        using var key = Ed25519PrivateKey.Generate();
        var token = Token("alice", "root");
        var me = await client.GetMeAsync(token);
        Assert.Equal("alice", me.Username);
        var issued = await client.RequestUserCertificateAsync(token, new CertificateRequest(key.PublicKey) { Ttl = "5m" });
        Assert.Equal(["root"], issued.Principals);
        Assert.True(issued.ValidBefore - issued.ValidAfter <= TimeSpan.FromMinutes(6));

        using var sshd = SshdServer.Start(new SshdOptions { TrustedUserCaKeys = [await client.GetUserCaAsync()] });
        var login = SshLogin.WithKey(sshd, "root", key, issued.Certificate, "echo on-behalf");
        Assert.True(login.ExitCode == 0, $"{login}\n{sshd.Log}");
    }

    [RequiresOpenSshFact]
    public async Task ARefusalCarriesTheServersReason()
    {
        using var client = Client();
        var e = await Assert.ThrowsAsync<BeaconApiException>(() =>
            client.RequestUserCertificateAsync(Token("bob", "bob"), new CertificateRequest(Ed25519PrivateKey.Generate().PublicKey) { Ttl = "9h" }));
        Assert.Equal(403, e.Status);
        Assert.Contains("exceeds the maximum", e.Detail, StringComparison.Ordinal);
    }

    [RequiresOpenSshFact]
    public async Task AServerWhoseCertificateIsNotThePinnedOneIsRefused()
    {
        using var client = new BeaconClient(new Uri(_server.Url), new string('a', 64));
        var e = await Assert.ThrowsAsync<BeaconApiException>(() => client.GetUserCaAsync());
        Assert.Equal(0, e.Status);
    }

    [Fact]
    public void AFingerprintMustBeASha256() =>
        Assert.Throws<ArgumentException>(() => PinnedTls.Normalize("SHA256:abc"));
}
