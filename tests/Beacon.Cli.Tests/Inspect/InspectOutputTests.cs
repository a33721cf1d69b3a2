using System.Text.Json;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;
using Beacon.Testing;

namespace Beacon.Cli.Tests.Inspect;

public sealed class InspectOutputTests
{
    [Fact]
    public void CertificateFieldsArePrintedLikeSshKeygen()
    {
        using var dir = new TempDirectory();
        var certificate = InspectTestData.UserCertificate();
        var path = dir.Write("id-cert.pub", certificate.ToOpenSshString("alice") + "\n");

        var result = CliRun.InProcess("inspect", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.Equal(
            $"""
            {path}:
                    Type: ssh-ed25519-cert-v01@openssh.com user certificate
                    Public key: ED25519-CERT {InspectTestData.Subject.PublicKey.Fingerprint}
                    Signing CA: ED25519 {InspectTestData.Ca.PublicKey.Fingerprint} (using ssh-ed25519)
                    Key ID: "alice@example.com via github"
                    Serial: 18446744073709551557
                    Valid: from 2026-01-02T03:04:05Z to 2026-01-02T03:19:05Z
                    Principals:
                            alice
                            deploy
                    Critical Options:
                            force-command uptime
                            source-address 10.0.0.0/8,::1
                    Extensions:
                            permit-agent-forwarding
                            permit-pty

            """.Replace("\r\n", "\n"), result.Out);
    }

    [Fact]
    public void JsonHasSnakeCaseNamesAndTheSerialAsAString()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("id-cert.pub", InspectTestData.UserCertificate().ToOpenSshString("alice"));

        var result = CliRun.InProcess("inspect", "--json", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("certificate", root.GetProperty("kind").GetString());
        Assert.Equal("user", root.GetProperty("certificate_type").GetString());
        Assert.Equal("alice@example.com via github", root.GetProperty("key_id").GetString());
        Assert.Equal(JsonValueKind.String, root.GetProperty("serial").ValueKind);
        Assert.Equal("18446744073709551557", root.GetProperty("serial").GetString());
        Assert.Equal(InspectTestData.Subject.PublicKey.Fingerprint, root.GetProperty("public_key").GetProperty("fingerprint").GetString());
        Assert.Equal(InspectTestData.Ca.PublicKey.Fingerprint, root.GetProperty("signing_ca").GetProperty("fingerprint").GetString());
        Assert.Equal("ssh-ed25519", root.GetProperty("signing_ca").GetProperty("signature_algorithm").GetString());
        Assert.Equal("2026-01-02T03:04:05Z", root.GetProperty("valid_after").GetString());
        Assert.Equal("2026-01-02T03:19:05Z", root.GetProperty("valid_before").GetString());
        Assert.Equal(["alice", "deploy"], root.GetProperty("principals").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("uptime", root.GetProperty("critical_options").GetProperty("force-command").GetString());
        Assert.Equal("10.0.0.0/8,::1", root.GetProperty("critical_options").GetProperty("source-address").GetString());
        Assert.Equal(["permit-agent-forwarding", "permit-pty"], root.GetProperty("extensions").EnumerateObject().Select(p => p.Name));
        Assert.Equal("alice", root.GetProperty("comment").GetString());
    }

    [Fact]
    public void ForeverCertificateSaysForever()
    {
        var certificate = new SshCertificateBuilder
        {
            PublicKey = InspectTestData.Subject.PublicKey,
            Type = SshCertificateType.Host,
            KeyId = "host",
            Principals = ["h.example.com"],
            ValidAfter = 0,
            ValidBefore = SshCertificate.Forever,
        }.Sign(InspectTestData.Ca);

        var text = CliRun.WithStdin(certificate.ToOpenSshString(), "inspect", "-");
        var json = CliRun.WithStdin(certificate.ToOpenSshString(), "inspect", "--json", "-");

        Assert.Contains("Valid: forever\n", text.Out);
        Assert.Contains("host certificate", text.Out);
        Assert.Contains("Critical Options: (none)\n", text.Out);
        Assert.Contains("Extensions: (none)\n", text.Out);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal("forever", document.RootElement.GetProperty("valid_before").GetString());
        Assert.Equal("host", document.RootElement.GetProperty("certificate_type").GetString());
    }

    [Fact]
    public void StandardInputIsReadForADash()
    {
        var result = CliRun.WithStdin(InspectTestData.UserCertificate().ToOpenSshString() + "\n", "inspect", "-");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("(stdin):\n", result.Out);
    }

    [Fact]
    public void PublicKeyShowsTypeSizeAndFingerprint()
    {
        var key = SshPrivateKey.Generate(SshKeyAlgorithm.Ecdsa, 384).PublicKey;

        var text = CliRun.WithStdin(key.ToOpenSshString("ops"), "inspect", "-");
        var json = CliRun.WithStdin(key.ToOpenSshString("ops"), "inspect", "--json", "-");

        Assert.Contains("Type: ecdsa-sha2-nistp384 public key\n", text.Out);
        Assert.Contains($"Public key: ECDSA {key.Fingerprint}\n", text.Out);
        Assert.Contains("Size: 384 bits\n", text.Out);
        Assert.Contains("Comment: ops\n", text.Out);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal("public_key", document.RootElement.GetProperty("kind").GetString());
        Assert.Equal(384, document.RootElement.GetProperty("bits").GetInt32());
        Assert.Equal(key.Fingerprint, document.RootElement.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public void UnencryptedPrivateKeyShowsItsPublicHalfOnly()
    {
        using var key = Ed25519PrivateKey.Generate();
        var file = OpenSshPrivateKeyFile.Write(key, "laptop");

        var text = CliRun.WithStdin(file, "inspect", "-");
        var json = CliRun.WithStdin(file, "inspect", "--json", "-");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("Encrypted: no\n", text.Out);
        Assert.Contains($"Public key: ED25519 {key.PublicKey.Fingerprint}\n", text.Out);
        Assert.Contains("Comment: laptop\n", text.Out);
        Assert.DoesNotContain("PRIVATE", text.Out + json.Out);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal("private_key", document.RootElement.GetProperty("kind").GetString());
        Assert.False(document.RootElement.GetProperty("encrypted").GetBoolean());
    }

    [Fact]
    public void ControlCharactersInAKeyIdAreEscapedInText()
    {
        var certificate = new SshCertificateBuilder
        {
            PublicKey = InspectTestData.Subject.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "evil\u001b]0;pwned\u0007\nKey ID: \"root\"",
            Principals = ["alice"],
            ValidAfter = 0,
            ValidBefore = SshCertificate.Forever,
        }.Sign(InspectTestData.Ca);

        var result = CliRun.WithStdin(certificate.ToOpenSshString(), "inspect", "-");

        Assert.Contains("Key ID: \"evil\\x1b]0;pwned\\x07\\x0aKey ID: \"root\"\"\n", result.Out);
        Assert.DoesNotContain('\u001b', result.Out);
        // The header, six one-line fields, "Principals:" with one principal, and two "(none)" lines: no injected line.
        Assert.Equal(11, result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void HelpDescribesTheArgumentAndJson()
    {
        var result = CliRun.InProcess("inspect", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("FILE", result.Out);
        Assert.Contains("--json", result.Out);
        Assert.Contains("standard input", result.Out);
    }

    [Fact]
    public void RootHelpListsInspectAndTheExitCodes()
    {
        var result = CliRun.InProcess("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("inspect", result.Out);
        Assert.Contains("Exit codes: 0 success, 1 failure or bad input, 2 usage error.", result.Out);
    }
}
