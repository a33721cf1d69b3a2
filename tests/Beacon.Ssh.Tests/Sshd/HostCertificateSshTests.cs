using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Sshd;

/// <summary>
/// A real ssh client, with StrictHostKeyChecking=yes, BatchMode and nothing in known_hosts but an
/// @cert-authority line, trusts a host by the host certificate we signed, and by nothing else.
/// </summary>
public sealed class HostCertificateSshTests
{
    private const string Command = "echo beacon-ok";
    private static readonly string[] HostNames = ["127.0.0.1", "localhost"];

    private static ulong Now => (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static SshCertificate HostCertificate(SshPrivateKey hostKey, SshPrivateKey hostCa, string? algorithm = null, IReadOnlyList<string>? principals = null) =>
        new SshCertificateBuilder
        {
            PublicKey = hostKey.PublicKey,
            Type = SshCertificateType.Host,
            KeyId = "test-host",
            Principals = principals ?? HostNames,
            ValidAfter = Now - 60,
            ValidBefore = Now + 86_400,
        }.Sign(hostCa, algorithm);

    /// <summary>Starts sshd with the host certificate and connects with a user certificate, trusting only <paramref name="trustedHostCa"/>.</summary>
    private static ProcessResult ConnectTrusting(SshPublicKey trustedHostCa, Func<SshPrivateKey, SshCertificate> certifyHost, SshKeyAlgorithm hostKeyAlgorithm = SshKeyAlgorithm.Ed25519)
    {
        using var files = new TempDirectory();
        using var hostKey = SshPrivateKey.Generate(hostKeyAlgorithm);
        var userCa = TestCas.Get("ed25519");
        using var server = SshdServer.Start(new SshdOptions
        {
            HostKey = hostKey,
            HostCertificate = certifyHost(hostKey),
            TrustedUserCaKeys = [userCa.PublicKey],
        });
        var knownHosts = files.Write("known_hosts", CertAuthorityLine.For(trustedHostCa, HostNames) + "\n");
        using var userKey = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        var userCertificate = new SshCertificateBuilder
        {
            PublicKey = userKey.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "user",
            Principals = ["root"],
            ValidAfter = Now - 60,
            ValidBefore = Now + 600,
        }.Sign(userCa);
        var identity = SshIdentity.Write(files, userKey, userCertificate);

        return SshClient.For(server, knownHosts).RunWithKey("root", identity.KeyFile, identity.CertificateFile, Command);
    }

    [RequiresOpenSshTheory]
    [MemberData(nameof(TestCas.WithAlgorithms), MemberType = typeof(TestCas))]
    public void HostCertificateFromEachCaTypeLetsSshConnectWithNoPrompt(string caName, string? algorithm)
    {
        var hostCa = TestCas.Get(caName);

        var result = ConnectTrusting(hostCa.PublicKey, hostKey => HostCertificate(hostKey, hostCa, algorithm));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("beacon-ok\n", result.StandardOutput);
    }

    [RequiresOpenSshTheory]
    [InlineData(SshKeyAlgorithm.Ecdsa)]
    [InlineData(SshKeyAlgorithm.Rsa)]
    public void HostCertificateOnEachHostKeyTypeLetsSshConnect(SshKeyAlgorithm hostKeyAlgorithm)
    {
        var hostCa = TestCas.Get("ed25519");

        var result = ConnectTrusting(hostCa.PublicKey, hostKey => HostCertificate(hostKey, hostCa), hostKeyAlgorithm);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("beacon-ok\n", result.StandardOutput);
    }

    [RequiresOpenSshFact]
    public void HostCertificateFromAnotherCaIsRefused()
    {
        var hostCa = TestCas.Get("ed25519");
        var trusted = TestCas.Get("ecdsa-384");

        var result = ConnectTrusting(trusted.PublicKey, hostKey => HostCertificate(hostKey, hostCa));

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Host key verification failed", result.StandardError);
    }

    [RequiresOpenSshFact]
    public void HostCertificateForAnotherNameIsRefused()
    {
        var hostCa = TestCas.Get("ed25519");

        var result = ConnectTrusting(hostCa.PublicKey, hostKey => HostCertificate(hostKey, hostCa, principals: ["other.example"]));

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Host key verification failed", result.StandardError);
    }

    [RequiresOpenSshFact]
    public void UserCertificateServedAsHostCertificateIsRefused()
    {
        var hostCa = TestCas.Get("ed25519");
        SshCertificate UserTypeCertificate(SshPrivateKey hostKey) => new SshCertificateBuilder
        {
            PublicKey = hostKey.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "not-a-host",
            Principals = HostNames,
            ValidAfter = Now - 60,
            ValidBefore = Now + 600,
        }.Sign(hostCa);

        var result = ConnectTrusting(hostCa.PublicKey, UserTypeCertificate);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Host key verification failed", result.StandardError);
    }
}
