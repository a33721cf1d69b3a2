using System.Globalization;
using Beacon.Client;
using Beacon.Host.Tests.Support;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Host.Tests.EndToEnd;

/// <summary>
/// beacon-host sync against the real beacon-server's signed bundle and KRL, with real sshds as the judges:
/// a certificate the server issues for group prod opens a prod host and not a runners host; after
/// `beacon-server cert revoke` and the next sync it is refused, and ssh-keygen -Q agrees.
/// </summary>
public sealed class ServerSyncTests(HostServerFixture fixture) : IClassFixture<HostServerFixture>
{
    private readonly ServerProcess _server = fixture.Process;

    private ManagedHost Host(string group) => ManagedHost.Start(_server.Url, _server.Fingerprint, fixture.BundleKey, [group]);

    private async Task<SshCertificate> CertificateAsync(SshPrivateKey key, string group)
    {
        using var client = new BeaconClient(new Uri(_server.Url), _server.Fingerprint);
        var issued = await client.RequestUserCertificateAsync(fixture.UserToken("alice", "root"),
            new CertificateRequest(key.PublicKey) { HostGroup = group, Ttl = "5m" });
        Assert.Equal([$"root@{group}"], issued.Principals);
        return issued.Certificate;
    }

    [RequiresOpenSshFact]
    public async Task AGroupCertificateFromTheServerOpensItsGroupsHostAndNotAnother()
    {
        using var prod = Host("prod");
        using var runners = Host("runners");
        prod.SyncAndInstall();
        runners.SyncAndInstall();
        using var key = Ed25519PrivateKey.Generate();
        var certificate = await CertificateAsync(key, "prod");
        var login = prod.Login(key, certificate);
        Assert.True(login.ExitCode == 0, $"{login}\n{prod.Sshd.Log}");
        Assert.NotEqual(0, runners.Login(key, certificate).ExitCode);
        Assert.Equal(0, runners.Login(key, await CertificateAsync(key, "runners")).ExitCode);
    }

    [RequiresOpenSshFact]
    public async Task AfterRevocationAndTheNextSyncTheCertificateIsRefusedAndSshKeygenAgrees()
    {
        using var host = Host("prod");
        host.SyncAndInstall();
        using var key = Ed25519PrivateKey.Generate();
        var certificate = await CertificateAsync(key, "prod");
        Assert.Equal(0, host.Login(key, certificate).ExitCode);

        var revoke = _server.Command("cert", "revoke", "--data-dir", _server.DataDir, "--serial", certificate.Serial.ToString(CultureInfo.InvariantCulture));
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        var sync = host.RunAndAwaitReload("sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Equal("installed", host.Root.State().LastOutcome);
        Assert.NotEqual(0, host.Login(key, certificate).ExitCode);
        using var temp = new TempDirectory();
        var query = OpenSsh.Keygen("-Q", "-f", host.Root.Paths.RevokedKeysFile, temp.Write("cert.pub", certificate.ToOpenSshString() + "\n"));
        Assert.True(query.ExitCode != 0 && query.StandardOutput.Contains("REVOKED", StringComparison.Ordinal), query.ToString());
    }

    private long RequestCount()
    {
        using var http = new HttpClient(PinnedTls.CreateHandler(_server.Fingerprint)) { BaseAddress = new Uri(_server.Url) };
        var metrics = http.GetStringAsync("metrics").GetAwaiter().GetResult();
        var line = metrics.Split('\n').Single(l => l.StartsWith("beacon_http_request_duration_seconds_count ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    [RequiresOpenSshFact]
    public void ASyncWithNothingChangedIsAnsweredNotModifiedByTheServer()
    {
        using var host = Host("prod");
        host.SyncAndInstall();
        var before = host.Root.TrustSnapshot();
        var requestsBefore = RequestCount();
        var sync = host.Root.Run("sync", "--verbose");
        // One conditional GET: the bundle's 304 names the KRL version the host already has (the -1 is the
        // first /metrics request itself, counted once it has answered).
        Assert.Equal(1, RequestCount() - requestsBefore - 1);
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("bundle: not modified", sync.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("KRL: not modified", sync.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("unchanged", host.Root.State().LastOutcome);
        Assert.Equal(before, host.Root.TrustSnapshot());
    }
}
