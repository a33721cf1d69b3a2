using Beacon.Testing;

namespace Beacon.Cli.Tests.Inspect;

public sealed class InspectBadInputTests
{
    public static TheoryData<string, string> Garbage()
    {
        var certificate = InspectTestData.UserCertificate();
        var blob = certificate.Blob.ToArray();
        var tampered = (byte[])blob.Clone();
        tampered[^1] ^= 0x01;
        var resigned = (byte[])blob.Clone();
        resigned[100] ^= 0x01;
        return new TheoryData<string, string>
        {
            { "empty input", "" },
            { "only whitespace", " \n\t\n" },
            { "only a comment", "# nothing here\n" },
            { "one word", "garbage" },
            { "binary bytes", "\u0001\u0002\u00ff\u0000\u007f" },
            { "a type and bad base64", "ssh-ed25519 @@@@" },
            { "an unknown key type", "ssh-foo " + Convert.ToBase64String("\0\0\0\u0007ssh-foo"u8) },
            { "a certificate with a flipped signature bit", $"{certificate.CertificateType} {Convert.ToBase64String(tampered)}" },
            { "a certificate with a flipped signed bit", $"{certificate.CertificateType} {Convert.ToBase64String(resigned)}" },
            { "a certificate named as a plain key", $"ssh-ed25519 {Convert.ToBase64String(blob)}" },
            { "two certificates", certificate.ToOpenSshString() + "\n" + certificate.ToOpenSshString() + "\n" },
            { "a PEM private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n" },
            { "a truncated openssh private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----\n" },
            { "a private key armour with no body", "-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----" },
        };
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void GarbageGetsOneStderrLineAndExitCode1(string description, string input)
    {
        var result = CliRun.WithStdin(input, "inspect", "-");

        Assert.True(result.ExitCode == 1, $"{description}: {result}");
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("beacon: (stdin): ", line);
    }

    [Fact]
    public void EveryTruncatedCertificateGetsOneStderrLineAndExitCode1()
    {
        var certificate = InspectTestData.UserCertificate();
        var blob = certificate.Blob.ToArray();
        for (var length = 0; length < blob.Length; length++)
        {
            var line = $"{certificate.CertificateType} {Convert.ToBase64String(blob, 0, length)}";

            var result = CliRun.WithStdin(line, "inspect", "--json", "-");

            Assert.True(result.ExitCode == 1 && result.ErrorLines.Length == 1 && result.Out.Length == 0, $"prefix of {length} bytes: {result}");
        }
    }

    [Fact]
    public void TheErrorLineNamesTheFileAndTheField()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("cert.pub", "ssh-ed25519-cert-v01@openssh.com " + Convert.ToBase64String("\0\0\0\u0003abc"u8));

        var result = CliRun.InProcess("inspect", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"beacon: {path}: certificate type: \"abc\" is not a certificate type", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void MissingFileGetsOneLineAndExitCode1()
    {
        var result = CliRun.InProcess("inspect", "/nonexistent/cert.pub");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("beacon: /nonexistent/cert.pub: no such file", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void DirectoryGetsOneLineAndExitCode1()
    {
        using var dir = new TempDirectory();

        var result = CliRun.InProcess("inspect", dir.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.ErrorLines);
    }

    [Fact]
    public void OversizedInputIsRefusedWithoutParsing()
    {
        var result = CliRun.WithStdin(new string('A', 70_000), "inspect", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("larger than", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("no file", new[] { "inspect" })]
    [InlineData("an unknown option", new[] { "inspect", "--bogus", "x" })]
    [InlineData("an unknown command", new[] { "frobnicate" })]
    [InlineData("no command", new string[0])]
    public void UsageErrorExitsWith2(string description, string[] args)
    {
        var result = CliRun.InProcess(args);

        Assert.True(result.ExitCode == 2, $"{description}: {result}");
        Assert.Contains("--help", Assert.Single(result.ErrorLines));
    }
}
