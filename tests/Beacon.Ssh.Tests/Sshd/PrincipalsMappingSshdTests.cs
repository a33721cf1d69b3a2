using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Sshd;

/// <summary>
/// sshd maps certificate principals to an account through a principals file or command, and rereads
/// that file and TrustedUserCAKeys on every connection, so changing them takes effect at once.
/// </summary>
public sealed class PrincipalsMappingSshdTests
{
    private const string Command = "echo beacon-ok";

    private static ulong Now => (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static SshCertificate Certify(SshPrivateKey subject, SshPrivateKey ca, params string[] principals) => new SshCertificateBuilder
    {
        PublicKey = subject.PublicKey,
        Type = SshCertificateType.User,
        KeyId = "principals-test",
        Principals = principals,
        ValidAfter = Now - 60,
        ValidBefore = Now + 600,
    }.Sign(ca);

    [RequiresOpenSshTheory]
    [InlineData(SshdPrincipals.File)]
    [InlineData(SshdPrincipals.Command)]
    public void PrincipalsFileDecidesWhoMayLogInAndIsRereadEachConnection(SshdPrincipals mode)
    {
        using var files = new TempDirectory();
        var ca = TestCas.Get("ed25519");
        using var server = SshdServer.Start(new SshdOptions { TrustedUserCaKeys = [ca.PublicKey], Principals = mode });
        var client = SshClient.For(server, files.Write("known_hosts", server.KnownHostsLine + "\n"));
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        var opsCertificate = SshIdentity.Write(files, key, Certify(key, ca, "ops-team"));
        var rootCertificate = SshIdentity.Write(files, key, Certify(key, ca, "root"));
        ProcessResult Run(SshIdentity identity) => client.RunWithKey("root", identity.KeyFile, identity.CertificateFile, Command);

        // No principals file for root: nothing may log in, not even a certificate naming root.
        Assert.Equal(255, Run(rootCertificate).ExitCode);

        server.SetPrincipals("root", "ops-team");
        var ops = Run(opsCertificate);
        Assert.True(ops.ExitCode == 0, ops + server.Log);
        Assert.Equal("beacon-ok\n", ops.StandardOutput);
        // With a principals file, the account name itself is no longer enough.
        Assert.Equal(255, Run(rootCertificate).ExitCode);

        server.SetPrincipals("root", "other-team");
        Assert.Equal(255, Run(opsCertificate).ExitCode);
    }

    [RequiresOpenSshFact]
    public void TrustedUserCaKeysAndRevokedKeysAreRereadEachConnection()
    {
        using var files = new TempDirectory();
        var ca = TestCas.Get("ecdsa-256");
        var otherCa = TestCas.Get("ed25519");
        using var server = SshdServer.Start(new SshdOptions { TrustedUserCaKeys = [otherCa.PublicKey] });
        var client = SshClient.For(server, files.Write("known_hosts", server.KnownHostsLine + "\n"));
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        var identity = SshIdentity.Write(files, key, Certify(key, ca, "root"));
        ProcessResult Run() => client.RunWithKey("root", identity.KeyFile, identity.CertificateFile, Command);

        Assert.Equal(255, Run().ExitCode);

        server.SetTrustedUserCaKeys(otherCa.PublicKey, ca.PublicKey);
        var accepted = Run();
        Assert.True(accepted.ExitCode == 0, accepted + server.Log);

        // A KRL made by ssh-keygen that revokes the key: sshd refuses it on the next connection.
        var revokedKey = files.Write("revoked.pub", key.PublicKey.ToOpenSshString() + "\n");
        var krl = files.File("revoked.krl");
        var made = OpenSsh.Keygen("-q", "-k", "-f", krl, revokedKey);
        Assert.True(made.ExitCode == 0, made.ToString());
        server.SetRevokedKeys(File.ReadAllBytes(krl));
        Assert.Equal(255, Run().ExitCode);

        server.ClearRevokedKeys();
        Assert.Equal(0, Run().ExitCode);
    }
}
