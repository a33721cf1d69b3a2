using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Sshd;

/// <summary>A real sshd (TrustedUserCAKeys) judges the user certificates we sign.</summary>
public sealed class UserCertificateSshdTests(UserCertificateSshdFixture fixture) : IClassFixture<UserCertificateSshdFixture>
{
    private const string Account = "root";
    private const string Command = "echo beacon-ok";

    private static ulong Now => (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static SshCertificate Certify(SshPrivateKey subject, SshPrivateKey ca, string? algorithm = null,
        IReadOnlyList<string>? principals = null, ulong? validAfter = null, ulong? validBefore = null,
        IReadOnlyList<SshCertificateOption>? critical = null) =>
        new SshCertificateBuilder
        {
            PublicKey = subject.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "beacon-test",
            Principals = principals ?? [Account],
            ValidAfter = validAfter ?? Now - 60,
            ValidBefore = validBefore ?? Now + 600,
            CriticalOptions = critical ?? [],
            Extensions = [.. SshCertificateOptions.DefaultUserExtensions.Select(SshCertificateOption.Flag)],
        }.Sign(ca, algorithm);

    private ProcessResult Connect(SshPrivateKey key, SshCertificate certificate, string command = Command)
    {
        var identity = SshIdentity.Write(fixture.Files, key, certificate);
        return fixture.Client.RunWithKey(Account, identity.KeyFile, identity.CertificateFile, command);
    }

    private static void AssertAccepted(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("beacon-ok\n", result.StandardOutput);
    }

    private void AssertRefused(ProcessResult result, int logMark, string sshdReason)
    {
        Assert.True(result.ExitCode == 255, result.ToString());
        Assert.Contains("Permission denied (publickey)", result.StandardError);
        Assert.True(fixture.Server.WaitForLog(sshdReason, logMark, TimeSpan.FromSeconds(5)),
            $"sshd did not log \"{sshdReason}\":\n{fixture.Server.Log[logMark..]}");
    }

    [RequiresOpenSshTheory]
    [MemberData(nameof(TestCas.WithAlgorithms), MemberType = typeof(TestCas))]
    public void CertificateFromEachCaTypeIsAcceptedBySshd(string caName, string? algorithm)
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);

        AssertAccepted(Connect(key, Certify(key, TestCas.Get(caName), algorithm)));
    }

    [RequiresOpenSshTheory]
    [InlineData(SshKeyAlgorithm.Ecdsa, 256)]
    [InlineData(SshKeyAlgorithm.Ecdsa, 384)]
    [InlineData(SshKeyAlgorithm.Ecdsa, 521)]
    [InlineData(SshKeyAlgorithm.Rsa, 2048)]
    public void CertificateOnEachKeyTypeIsAcceptedBySshd(SshKeyAlgorithm algorithm, int bits)
    {
        using var key = SshPrivateKey.Generate(algorithm, bits);

        AssertAccepted(Connect(key, Certify(key, TestCas.Get("ed25519"))));
    }

    [RequiresOpenSshFact]
    public void ExpiredCertificateIsRefusedBySshd()
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        var certificate = Certify(key, TestCas.Get("ed25519"), validAfter: Now - 7200, validBefore: Now - 3600);
        var mark = fixture.Server.Log.Length;

        AssertRefused(Connect(key, certificate), mark, "expired");
    }

    [RequiresOpenSshFact]
    public void NotYetValidCertificateIsRefusedBySshd()
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        var certificate = Certify(key, TestCas.Get("ecdsa-256"), validAfter: Now + 3600, validBefore: Now + 7200);
        var mark = fixture.Server.Log.Length;

        AssertRefused(Connect(key, certificate), mark, "not yet valid");
    }

    [RequiresOpenSshFact]
    public void PrincipalNotListedIsRefusedBySshd()
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        var certificate = Certify(key, TestCas.Get("ed25519"), principals: ["alice", "deploy"]);
        var mark = fixture.Server.Log.Length;

        AssertRefused(Connect(key, certificate), mark, "name is not a listed principal");
    }

    [RequiresOpenSshFact]
    public void CertificateFromAnotherCaIsRefusedBySshd()
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        using var untrusted = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        var mark = fixture.Server.Log.Length;

        // sshd names the CA it did not trust in its refusal.
        AssertRefused(Connect(key, Certify(key, untrusted)), mark, $"CA ED25519 {untrusted.PublicKey.Fingerprint}");
    }

    [RequiresOpenSshFact]
    public void ForceCommandInTheCertificateIsWhatSshdRuns()
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        var certificate = Certify(key, TestCas.Get("ed25519"), critical: [SshCertificateOption.WithValue(SshCertificateOptions.ForceCommand, "echo forced")]);

        var result = Connect(key, certificate, "echo asked-for");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("forced\n", result.StandardOutput);
    }

    [RequiresOpenSshFact]
    public void SourceAddressOutsideTheCertificatesIsRefusedBySshd()
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        var certificate = Certify(key, TestCas.Get("ed25519"), critical: [SshCertificateOption.WithValue(SshCertificateOptions.SourceAddress, "10.0.0.0/8")]);
        var mark = fixture.Server.Log.Length;

        AssertRefused(Connect(key, certificate), mark, "not from a permitted source address");
    }

    [RequiresOpenSshFact]
    public void SourceAddressIncludingTheClientIsAcceptedBySshd()
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        var certificate = Certify(key, TestCas.Get("ed25519"), critical: [SshCertificateOption.WithValue(SshCertificateOptions.SourceAddress, "10.0.0.0/8,127.0.0.1/32")]);

        AssertAccepted(Connect(key, certificate));
    }
}
