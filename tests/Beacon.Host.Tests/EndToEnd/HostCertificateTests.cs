using Beacon.Client;
using Beacon.Host.Files;
using Beacon.Host.Tests.Support;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;
using Beacon.Testing;
using Beacon.Trust.OpenPgp;

namespace Beacon.Host.Tests.EndToEnd;

/// <summary>
/// enroll and renew against the real beacon-server, judged by a real sshd serving the certificate and a
/// real ssh that trusts the host only through an @cert-authority line (StrictHostKeyChecking=yes, BatchMode).
/// </summary>
public sealed class HostCertificateTests(HostServerFixture fixture) : IClassFixture<HostServerFixture>
{
    private readonly ServerProcess _server = fixture.Process;

    /// <summary>A host with its own Ed25519 host key in ROOT/etc/ssh, served by sshd with ROOT's certificate.</summary>
    private (ManagedHost Host, SshPrivateKey HostKey, HostKeyFiles Files) EnrollableHost()
    {
        var hostKey = Ed25519PrivateKey.Generate();
        using var bundleKey = OpenPgpSigningKey.Generate("unused bundle key", DateTimeOffset.UtcNow.AddMinutes(-1));
        var host = ManagedHost.Start(_server.Url, _server.Fingerprint, bundleKey.ExportPublicArmored(), [], new SshdOptions { HostKey = hostKey },
            root => [$"HostCertificate {new HostKeyFiles(Path.Combine(root.Paths.SshDirectory, "ssh_host_ed25519_key.pub")).CertificateFile}"]);
        var files = new HostKeyFiles(Path.Combine(host.Root.Paths.SshDirectory, "ssh_host_ed25519_key.pub"));
        Directory.CreateDirectory(host.Root.Paths.SshDirectory);
        File.WriteAllText(files.PrivateKeyFile, OpenSshPrivateKeyFile.Write(hostKey, "root@test"));
        File.SetUnixFileMode(files.PrivateKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(files.PublicKeyFile, hostKey.PublicKey.ToOpenSshString("root@test") + "\n");
        var names = Beacon.Host.Files.HostConfig.Load(host.Root.Paths) with { Names = ["127.0.0.1"] };
        names.Save(host.Root.Paths);
        return (host, hostKey, files);
    }

    private async Task<ProcessResult> SshWithCertAuthorityOnlyAsync(ManagedHost host)
    {
        using var client = new BeaconClient(new Uri(_server.Url), _server.Fingerprint);
        var hostCa = await client.GetHostCaAsync();
        using var user = Ed25519PrivateKey.Generate();
        using var temp = new TempDirectory("beacon-ssh-");
        var knownHosts = temp.Write("known_hosts", $"@cert-authority [127.0.0.1]:{host.Sshd.Port} {hostCa.ToOpenSshString()}\n");
        // Authentication may fail (no user trust here): what matters is whether the host key was accepted.
        var keyFile = temp.WritePrivate("id", OpenSshPrivateKeyFile.Write(user));
        return SshClient.For(host.Sshd, knownHosts).RunWithKey("root", keyFile, null, "true");
    }

    private static bool HostKeyAccepted(ProcessResult ssh) =>
        !ssh.StandardError.Contains("Host key verification failed", StringComparison.Ordinal)
        && ssh.StandardError.Contains("Permission denied", StringComparison.Ordinal);

    [RequiresOpenSshFact]
    public async Task AnEnrolledHostIsTrustedThroughTheCertAuthorityLineAlone()
    {
        var (host, hostKey, files) = EnrollableHost();
        using var _ = host;
        using var __ = hostKey;
        var before = await SshWithCertAuthorityOnlyAsync(host);
        Assert.Contains("Host key verification failed", before.StandardError, StringComparison.Ordinal);

        var enroll = host.RunAndAwaitReload("enroll", "--token", fixture.HostToken("prod"));
        Assert.True(enroll.ExitCode == 0, enroll.ToString());
        var certificate = files.ReadCertificate()!;
        Assert.Equal(SshCertificateType.Host, certificate.Type);
        Assert.Equal(["127.0.0.1"], certificate.Principals);
        Assert.Equal(["prod"], HostConfig.Load(host.Root.Paths).Groups);

        var after = await SshWithCertAuthorityOnlyAsync(host);
        Assert.True(HostKeyAccepted(after), $"{after}\n{host.Sshd.Log}");
    }

    [RequiresOpenSshFact]
    public async Task RenewGivesANewCertificateForTheSameKeyAndSshdServesIt()
    {
        var (host, hostKey, files) = EnrollableHost();
        using var _ = host;
        using var __ = hostKey;
        Assert.Equal(0, host.RunAndAwaitReload("enroll", "--token", fixture.HostToken("prod")).ExitCode);
        var first = files.ReadCertificate()!;

        var skipped = host.Root.Run("renew", "--if-expiring-within", "7d");
        Assert.True(skipped.ExitCode == 0, skipped.ToString());
        Assert.Equal(first, files.ReadCertificate());

        var renew = host.RunAndAwaitReload("renew");
        Assert.True(renew.ExitCode == 0, renew.ToString());
        var second = files.ReadCertificate()!;
        Assert.NotEqual(first.Serial, second.Serial);
        Assert.Equal(first.PublicKey, second.PublicKey);
        Assert.True(HostKeyAccepted(await SshWithCertAuthorityOnlyAsync(host)));
    }

    [RequiresOpenSshFact]
    public void RenewWithAForeignCertificateIsRefused()
    {
        var (host, hostKey, files) = EnrollableHost();
        using var _ = host;
        using var __ = hostKey;
        using var foreignCa = Ed25519PrivateKey.Generate();
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var foreign = new SshCertificateBuilder
        {
            PublicKey = hostKey.PublicKey, Type = SshCertificateType.Host, KeyId = "forged", Principals = ["127.0.0.1"],
            ValidAfter = now - 60, ValidBefore = now + 3600,
        }.Sign(foreignCa);
        files.WriteCertificate(foreign);
        var renew = host.Root.Run("renew");
        Assert.Equal(1, renew.ExitCode);
        Assert.Contains("renewal refused: 403", renew.StandardError, StringComparison.Ordinal);
        Assert.Equal(foreign, files.ReadCertificate());
    }

    [RequiresOpenSshFact]
    public void RenewWithAnExpiredCertificateIsRefused()
    {
        var (host, hostKey, files) = EnrollableHost();
        using var _ = host;
        using var __ = hostKey;
        Assert.Equal(0, host.RunAndAwaitReload("enroll", "--token", fixture.HostToken("short")).ExitCode);
        var certificate = files.ReadCertificate()!;
        while (DateTimeOffset.UtcNow <= certificate.ValidBeforeTime)
        {
            Thread.Sleep(200);
        }
        var renew = host.Root.Run("renew");
        Assert.Equal(1, renew.ExitCode);
        Assert.Contains("renewal refused: 403", renew.StandardError, StringComparison.Ordinal);
        Assert.Contains("enroll again", renew.StandardError, StringComparison.Ordinal);
    }

    [RequiresOpenSshFact]
    public void RenewWithARevokedCertificateIsRefused()
    {
        var (host, hostKey, files) = EnrollableHost();
        using var _ = host;
        using var __ = hostKey;
        Assert.Equal(0, host.RunAndAwaitReload("enroll", "--token", fixture.HostToken("prod")).ExitCode);
        var certificate = files.ReadCertificate()!;
        var revoke = _server.Command("cert", "revoke", "--data-dir", _server.DataDir, "--serial", certificate.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        var renew = host.Root.Run("renew");
        Assert.Equal(1, renew.ExitCode);
        Assert.Contains("renewal refused: 403", renew.StandardError, StringComparison.Ordinal);
    }

    [RequiresOpenSshFact]
    public void AUsedTokenIsRefusedInOneLine()
    {
        var (host, hostKey, _) = EnrollableHost();
        using var __ = host;
        using var ___ = hostKey;
        var token = fixture.HostToken("prod");
        Assert.Equal(0, host.RunAndAwaitReload("enroll", "--token", token).ExitCode);
        var again = host.Root.Run("enroll", "--token", token);
        Assert.Equal(1, again.ExitCode);
        Assert.StartsWith("beacon-host: enrollment refused: 401", again.StandardError, StringComparison.Ordinal);
        Assert.Single(again.StandardError.TrimEnd('\n').Split('\n'));
    }
}
