using Beacon.Client;
using Beacon.Host.Tests.Support;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Host.Tests.EndToEnd;

/// <summary>
/// DESIGN flow 7 through beacon-host: rotate → the host's next sync trusts both user CAs → activate → the old
/// and the new CA's certificates both open the host → retire → the next sync drops the old CA and sshd
/// refuses its certificate. Its own server: the steps change the CA for everyone.
/// </summary>
public sealed class CaRotationSyncTests
{
    [RequiresOpenSshFact]
    public async Task DuringTheOverlapBothCasOpenTheHostAndAfterRetirementTheOldCaIsRefused()
    {
        using var server = ServerProcess.Start(HostServerFixture.Environment);
        var bundleKey = File.ReadAllText(Path.Combine(server.DataDir, "bundle-key.asc"));
        using var host = ManagedHost.Start(server.Url, server.Fingerprint, bundleKey, ["prod"]);
        host.SyncAndInstall();
        using var key = Ed25519PrivateKey.Generate();
        var fromOldCa = await CertificateAsync(server, key);
        Assert.Equal(0, host.Login(key, fromOldCa).ExitCode);

        Step(server, "rotate");
        Sync(host, server);
        Assert.Equal(2, TrustedKeys(host));
        Step(server, "activate");
        Sync(host, server);
        // The running server picks up the activation within its reload interval.
        var fromNewCa = await CertificateFromNewCaAsync(server, key, fromOldCa.SignatureKey.Fingerprint);
        Assert.Equal(0, host.Login(key, fromOldCa).ExitCode);
        var login = host.Login(key, fromNewCa);
        Assert.True(login.ExitCode == 0, $"{login}\n{host.Sshd.Log}");

        // Certificates of the old CA are still live: only --force retires it now (a compromised key).
        Step(server, "retire", "--force");
        Sync(host, server);
        Assert.Equal(1, TrustedKeys(host));
        Assert.NotEqual(0, host.Login(key, fromOldCa).ExitCode);
        Assert.Equal(0, host.Login(key, fromNewCa).ExitCode);
    }

    private static void Step(ServerProcess server, string step, params string[] extra)
    {
        var result = server.Command(["ca", step, "--data-dir", server.DataDir, "--kind", "user", .. extra]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static void Sync(ManagedHost host, ServerProcess server)
    {
        var sync = host.RunAndAwaitReload("sync");
        Assert.True(sync.ExitCode == 0, $"{sync}\n{server.Output}");
    }

    private static int TrustedKeys(ManagedHost host) =>
        File.ReadAllLines(host.Root.Paths.TrustedUserCaKeysFile).Count(l => l.Length > 0 && !l.StartsWith('#'));

    private static async Task<SshCertificate> CertificateAsync(ServerProcess server, SshPrivateKey key)
    {
        using var client = new BeaconClient(new Uri(server.Url), server.Fingerprint);
        var issued = await client.RequestUserCertificateAsync(HostServerFixture.UserToken(server, "alice", "root"),
            new CertificateRequest(key.PublicKey) { HostGroup = "prod", Ttl = "5m" });
        return issued.Certificate;
    }

    private static async Task<SshCertificate> CertificateFromNewCaAsync(ServerProcess server, SshPrivateKey key, string oldCa)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var certificate = await CertificateAsync(server, key);
            if (certificate.SignatureKey.Fingerprint != oldCa || DateTime.UtcNow > deadline)
            {
                Assert.NotEqual(oldCa, certificate.SignatureKey.Fingerprint);
                return certificate;
            }
            await Task.Delay(500);
        }
    }
}
