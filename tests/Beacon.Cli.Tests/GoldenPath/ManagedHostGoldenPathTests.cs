using System.Globalization;
using Beacon.Host;
using Beacon.Ssh.Certificates;
using Beacon.Testing;

namespace Beacon.Cli.Tests.GoldenPath;

/// <summary>
/// The golden path onto a host whose trust beacon-host manages from the server's signed bundle and KRL:
/// `beacon login --host-group lab` then ssh logs in; after the certificate is revoked and the host's next
/// sync, sshd refuses it.
/// </summary>
[Collection(GoldenPathCollection.Name)]
public sealed class ManagedHostGoldenPathTests(GoldenPathFixture peers)
{
    [RequiresGoldenPathFact]
    public async Task LoginForTheHostsGroupOpensTheManagedHostUntilRevocationReachesItsNextSync()
    {
        using var root = new TempDirectory("beacon-host-root-");
        var dropIn = Path.Combine(root.Path, "etc", "ssh", "sshd_config.d", "50-beacon.conf");
        using var sshd = SshdServer.Start(new SshdOptions { LeadingConfig = [$"Include {dropIn}", "StrictModes no"] });
        var bundleKey = Path.Combine(peers.Server.DataDir, "bundle-key.asc");
        Host(root, "bootstrap", "--server", peers.Server.Url, "--fingerprint", peers.Server.Fingerprint, "--bundle-key", bundleKey, "--groups", "lab",
            "--sshd-config", sshd.ConfigFile, "--reload-command", $"kill -HUP $(cat {sshd.PidFile})");
        HostAndAwaitReload(root, sshd, "sync");
        HostAndAwaitReload(root, sshd, "install");

        using var erin = new TestUser(peers);
        Assert.Equal(0, erin.Init().ExitCode);
        var login = await erin.LoginWithOidcAsync("erin", "--host-group", "lab");
        Assert.True(login.ExitCode == 0, login.ToString());
        var certificate = SshCertificateParser.ParseLine(File.ReadAllText(Path.Combine(erin.ConfigDirectory, "id_ed25519-cert.pub")).Trim());
        Assert.Equal(["root@lab"], certificate.Principals);

        var ssh = SshLogin.WithAgent(sshd, "root", erin.Agent.SocketPath, "echo on-the-managed-host");
        Assert.True(ssh.ExitCode == 0, $"{ssh}\n{sshd.Log}");
        Assert.Contains("on-the-managed-host", ssh.StandardOutput, StringComparison.Ordinal);

        var revoke = peers.Server.Command("cert", "revoke", "--data-dir", peers.Server.DataDir, "--serial", certificate.Serial.ToString(CultureInfo.InvariantCulture));
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        HostAndAwaitReload(root, sshd, "sync");
        Assert.NotEqual(0, SshLogin.WithAgent(sshd, "root", erin.Agent.SocketPath).ExitCode);
    }

    private static string Host(TempDirectory root, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = BeaconHostCli.Run([.. args, "--root", root.Path], output, error);
        Assert.True(exit == 0, $"beacon-host {string.Join(' ', args)}: exit {exit}\n{output}\n{error}");
        return output.ToString();
    }

    private static void HostAndAwaitReload(TempDirectory root, SshdServer sshd, string command)
    {
        var from = sshd.Log.Length;
        Host(root, command);
        Assert.True(sshd.WaitForLog($"Server listening on {sshd.Address} port {sshd.Port}.", from, TimeSpan.FromSeconds(20)), sshd.Log);
    }
}
