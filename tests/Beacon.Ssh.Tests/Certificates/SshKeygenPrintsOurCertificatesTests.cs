using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Tests.Sshd;
using Beacon.Ssh.Tests.Vectors;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Certificates;

/// <summary>ssh-keygen -L reads the certificates we sign with every CA type and prints exactly the fields we put in.</summary>
public sealed class SshKeygenPrintsOurCertificatesTests
{
    [RequiresOpenSshTheory]
    [MemberData(nameof(TestCas.WithAlgorithms), MemberType = typeof(TestCas))]
    public void SshKeygenPrintsEveryFieldWeSigned(string caName, string? algorithm)
    {
        using var files = new TempDirectory();
        using var subject = SshPrivateKey.Generate(SshKeyAlgorithm.Ecdsa, 384);
        var ca = TestCas.Get(caName);
        var certificate = new SshCertificateBuilder
        {
            PublicKey = subject.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "alice@github request 42",
            Principals = ["alice", "deploy"],
            ValidAfter = 1_893_456_000, // 2030-01-01T00:00:00Z
            ValidBefore = 1_893_456_900,
            Serial = 0xfeedface_cafef00d,
            // Deliberately out of order: the builder sorts them.
            CriticalOptions =
            [
                SshCertificateOption.WithValue(SshCertificateOptions.SourceAddress, "10.0.0.0/8,127.0.0.1/32"),
                SshCertificateOption.WithValue(SshCertificateOptions.ForceCommand, "/usr/bin/uptime"),
            ],
            Extensions =
            [
                SshCertificateOption.Flag(SshCertificateOptions.PermitPty),
                SshCertificateOption.Flag("login@beacon.example"),
                SshCertificateOption.Flag(SshCertificateOptions.PermitAgentForwarding),
            ],
        }.Sign(ca, algorithm);
        var file = files.Write("cert.pub", certificate.ToOpenSshString("ours") + "\n");

        var listing = SshKeygenListing.Of(file);

        Assert.Equal("ecdsa-sha2-nistp384-cert-v01@openssh.com user certificate", listing.Type);
        Assert.Equal($"ECDSA-CERT {subject.PublicKey.Fingerprint}", listing.PublicKey);
        Assert.Equal($"{KeygenStyle.KeyName(ca.PublicKey)} {ca.PublicKey.Fingerprint} (using {algorithm ?? ca.PublicKey.KeyType})", listing.SigningCa);
        Assert.Equal("alice@github request 42", listing.KeyId);
        Assert.Equal(0xfeedface_cafef00dUL, listing.Serial);
        Assert.Equal("from 2030-01-01T00:00:00 to 2030-01-01T00:15:00", listing.Valid);
        Assert.Equal(["alice", "deploy"], listing.Principals);
        Assert.Equal(["force-command /usr/bin/uptime", "source-address 10.0.0.0/8,127.0.0.1/32"], listing.CriticalOptions);
        Assert.Equal(["login@beacon.example UNKNOWN FLAG OPTION", "permit-agent-forwarding", "permit-pty"], listing.Extensions);
        KeygenStyle.AssertListingMatches(listing, certificate);
    }

    [RequiresOpenSshTheory]
    [InlineData(SshKeyAlgorithm.Ed25519, 0)]
    [InlineData(SshKeyAlgorithm.Ecdsa, 256)]
    [InlineData(SshKeyAlgorithm.Ecdsa, 521)]
    [InlineData(SshKeyAlgorithm.Rsa, 2048)]
    public void SshKeygenPrintsAHostCertificateValidForever(SshKeyAlgorithm algorithm, int bits)
    {
        using var files = new TempDirectory();
        using var subject = SshPrivateKey.Generate(algorithm, bits);
        var certificate = new SshCertificateBuilder
        {
            PublicKey = subject.PublicKey,
            Type = SshCertificateType.Host,
            KeyId = "web-1",
            Principals = ["web-1.example", "10.1.2.3"],
            ValidAfter = 0,
            ValidBefore = SshCertificate.Forever,
        }.Sign(TestCas.Get("ed25519"));
        var file = files.Write("host-cert.pub", certificate.ToOpenSshString() + "\n");

        var listing = SshKeygenListing.Of(file);

        Assert.EndsWith(" host certificate", listing.Type);
        Assert.Equal("forever", listing.Valid);
        Assert.Empty(listing.CriticalOptions);
        Assert.Empty(listing.Extensions);
        KeygenStyle.AssertListingMatches(listing, certificate);
    }

    [RequiresOpenSshFact]
    public void SshKeygenFingerprintsOurCertificateByItsKey()
    {
        using var files = new TempDirectory();
        using var subject = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        var certificate = new SshCertificateBuilder
        {
            PublicKey = subject.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "fp",
            Principals = ["alice"],
            ValidAfter = 0,
            ValidBefore = SshCertificate.Forever,
        }.Sign(TestCas.Get("ecdsa-256"));
        var file = files.Write("cert.pub", certificate.ToOpenSshString("note") + "\n");

        var result = OpenSsh.Keygen("-lf", file);

        Assert.Equal($"256 {subject.PublicKey.Fingerprint} note (ED25519-CERT)\n", result.StandardOutput);
    }
}
