using System.Text.Json;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.PrivateKeys;
using Beacon.Testing;

namespace Beacon.Cli.Tests.GoldenPath;

/// <summary>
/// DESIGN flow 1 end to end with real peers: beacon init, beacon login (device flow at the real OpenID
/// provider), beacon trust, then ssh with StrictHostKeyChecking=yes and BatchMode=yes logs in as the mapped
/// account: no password, no fingerprint prompt, no authorized_keys.
/// </summary>
[Collection(GoldenPathCollection.Name)]
public sealed class GoldenPathTests
{
    private readonly GoldenPathFixture _peers;

    public GoldenPathTests(GoldenPathFixture peers) => _peers = peers;

    [RequiresGoldenPathFact]
    public async Task InitLoginTrustThenSshLogsInAsTheMappedAccountWithoutAPrompt()
    {
        using var alice = new TestUser(_peers);
        var init = alice.Init();
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("identity provider corp (oidc): device login [default]", init.Out, StringComparison.Ordinal);

        var login = await alice.LoginWithOidcAsync("alice");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Logged in as alice (corp)", login.Out, StringComparison.Ordinal);

        // The key is encrypted at rest, the certificate sits beside it, the token file is private and never printed.
        var envelope = OpenSshPrivateKeyFile.ReadEnvelope(File.ReadAllText(Path.Combine(alice.ConfigDirectory, "id_ed25519")));
        Assert.True(envelope.IsEncrypted);
        var certificate = SshCertificateParser.ParseLine(File.ReadAllText(Path.Combine(alice.ConfigDirectory, "id_ed25519-cert.pub")).Trim());
        Assert.Equal(["alice"], certificate.Principals);
        Assert.Equal(envelope.PublicKey, certificate.PublicKey);
        var tokens = Path.Combine(alice.ConfigDirectory, "tokens.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokens));
        var accessToken = JsonDocument.Parse(File.ReadAllText(tokens)).RootElement.GetProperty("access_token").GetString()!;
        Assert.DoesNotContain(accessToken, login.Out + login.Error, StringComparison.Ordinal);

        // The agent holds the key and its certificate.
        var listed = alice.Agent.SshAdd("-L");
        Assert.Contains(certificate.ToOpenSshString().Split(' ')[1], listed.StandardOutput, StringComparison.Ordinal);

        var trust = alice.Beacon("trust");
        Assert.True(trust.ExitCode == 0, trust.ToString());
        var ssh = alice.Ssh("root", "echo hello-from-alice");
        Assert.True(ssh.ExitCode == 0, $"{ssh}\n{_peers.Sshd.Log}");
        Assert.Contains("hello-from-alice", ssh.Out, StringComparison.Ordinal);

        // And plain ssh, beacon out of the loop: the agent holds the certificate, known_hosts the host CA.
        var plain = new SshClient(_peers.Sshd.Port, alice.KnownHosts).RunWithAgent("root", alice.Agent.SocketPath, "echo plain-ssh");
        Assert.True(plain.ExitCode == 0, $"{plain}\n{_peers.Sshd.Log}");
        Assert.Contains("plain-ssh", plain.StandardOutput, StringComparison.Ordinal);

        // trust is idempotent: a second run writes nothing and the file keeps one line.
        var again = alice.Beacon("trust");
        Assert.Contains("Already trusting", again.Out, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(alice.KnownHosts), l => l.StartsWith("@cert-authority", StringComparison.Ordinal));
    }

    [RequiresGoldenPathFact]
    public async Task WithoutTrustTheHostIsRefusedRatherThanTrustedOnFirstUse()
    {
        using var carol = new TestUser(_peers);
        Assert.Equal(0, carol.Init().ExitCode);
        Assert.Equal(0, (await carol.LoginWithOidcAsync("carol")).ExitCode);
        var ssh = carol.Ssh("root", "true");
        Assert.Equal(255, ssh.ExitCode);
        Assert.Contains("Host key verification failed", ssh.Error, StringComparison.Ordinal);
    }

    [RequiresGoldenPathFact]
    public async Task StatusAndSshNeedNoNetworkWhileTheCertificateIsValidAndLogoutEmptiesTheAgent()
    {
        using var carol = new TestUser(_peers);
        Assert.Equal(0, carol.Init().ExitCode);
        Assert.Equal(0, (await carol.LoginWithOidcAsync("carol")).ExitCode);
        Assert.Equal(0, carol.Beacon("trust").ExitCode);

        // The server is gone as far as beacon knows: status and ssh must still work.
        var config = Path.Combine(carol.ConfigDirectory, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace(_peers.Server.Url, $"https://127.0.0.1:{FreePort.Next()}", StringComparison.Ordinal));
        var status = carol.Beacon("status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using (var json = JsonDocument.Parse(status.Out))
        {
            var root = json.RootElement;
            Assert.Equal("carol", root.GetProperty("identity").GetString());
            Assert.Equal("corp", root.GetProperty("provider").GetString());
            Assert.Equal("carol", root.GetProperty("certificate").GetProperty("principals")[0].GetString());
            Assert.True(root.GetProperty("certificate").GetProperty("seconds_left").GetInt64() > 60);
            Assert.True(root.GetProperty("agent").GetProperty("holds_certificate").GetBoolean());
        }
        var text = carol.Beacon("status");
        Assert.Contains("principals: carol", text.Out, StringComparison.Ordinal);
        var ssh = carol.Ssh("root", "echo offline-ok");
        Assert.True(ssh.ExitCode == 0, ssh.ToString());

        var logout = carol.Beacon("logout");
        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.Contains("The agent has no identities", carol.Agent.SshAdd("-l").StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(carol.ConfigDirectory, "tokens.json")));
        Assert.False(File.Exists(Path.Combine(carol.ConfigDirectory, "id_ed25519-cert.pub")));
        Assert.True(File.Exists(Path.Combine(carol.ConfigDirectory, "id_ed25519")));
        Assert.Equal(1, carol.Beacon("status").ExitCode);
    }

    [RequiresGoldenPathFact]
    public async Task ADisabledUserIsRefusedOnTheNextCertificateRequestWithAClearMessage()
    {
        using var dave = new TestUser(_peers);
        Assert.Equal(0, dave.Init().ExitCode);
        Assert.Equal(0, (await dave.LoginWithOidcAsync("dave")).ExitCode);
        var disable = _peers.Server.Command("user", "disable", "--data-dir", _peers.Server.DataDir, "dave", "--reason", "left the company");
        Assert.True(disable.ExitCode == 0, disable.ToString());
        try
        {
            // No certificate left: beacon ssh must renew with the stored login, and the server refuses.
            File.Delete(Path.Combine(dave.ConfigDirectory, "id_ed25519-cert.pub"));
            var ssh = dave.Ssh("root", "true");
            Assert.Equal(1, ssh.ExitCode);
            var line = Assert.Single(ssh.ErrorLines);
            Assert.StartsWith("beacon: could not renew your certificate: certificate: refused (403): user \"dave\" is disabled", line, StringComparison.Ordinal);
        }
        finally
        {
            _peers.Server.Command("user", "enable", "--data-dir", _peers.Server.DataDir, "dave");
        }
    }

    [RequiresGoldenPathFact]
    public async Task AnExpiredCertificateLeavesTheAgentAndBeaconSshRenewsIt()
    {
        using var erin = new TestUser(_peers);
        Assert.Equal(0, erin.Init().ExitCode);
        var login = await erin.LoginWithOidcAsync("erin", "--ttl", "5s");
        Assert.True(login.ExitCode == 0, login.ToString());
        var certificate = SshCertificateParser.ParseLine(File.ReadAllText(Path.Combine(erin.ConfigDirectory, "id_ed25519-cert.pub")).Trim());
        Assert.Contains("ED25519-CERT", erin.Agent.SshAdd("-l").StandardOutput, StringComparison.Ordinal);

        // Wait out the certificate (plus two seconds: the agent's timer counts whole seconds); nothing here measures speed.
        while (DateTimeOffset.UtcNow < certificate.ValidBeforeTime.AddSeconds(2))
        {
            await Task.Delay(250);
        }
        var agentHolds = erin.Agent.SshAdd("-l").StandardOutput;
        Assert.False(agentHolds.Contains("CERT", StringComparison.Ordinal),
            $"now {DateTimeOffset.UtcNow:O}, certificate valid before {certificate.ValidBeforeTime:O}; agent: {agentHolds}; login: {login}");
        using (var knownHosts = new TempDirectory())
        {
            var plain = SshClient.For(_peers.Sshd, knownHosts.Write("known_hosts", _peers.Sshd.KnownHostsLine + "\n")).RunWithAgent("root", erin.Agent.SocketPath, "true");
            Assert.Equal(255, plain.ExitCode);
        }

        // beacon ssh sees the expired certificate and renews it with the stored login.
        Assert.Equal(0, erin.Beacon("trust").ExitCode);
        var ssh = erin.Ssh("root", "echo renewed");
        Assert.True(ssh.ExitCode == 0, ssh.ToString());
        Assert.Contains("renewed", ssh.Out, StringComparison.Ordinal);
    }
}
