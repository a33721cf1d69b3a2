using Beacon.Ssh.Keys;
using Beacon.Ssh.Trust;
using Beacon.Testing;

namespace Beacon.Server.Tests.Commands;

public sealed class CaInitCommandTests
{
    [Theory]
    [InlineData(new[] { "--type", "ed25519" }, "ssh-ed25519", 256)]
    [InlineData(new string[0], "ssh-ed25519", 256)]
    [InlineData(new[] { "--type", "ecdsa" }, "ecdsa-sha2-nistp384", 384)]
    [InlineData(new[] { "--type", "ecdsa", "--bits", "256" }, "ecdsa-sha2-nistp256", 256)]
    [InlineData(new[] { "--type", "rsa" }, "ssh-rsa", 3072)]
    public void InitMakesBothCasOfTheAskedType(string[] typeArgs, string keyType, int bits)
    {
        using var dir = new TempDirectory();
        var password = dir.WritePrivate("pw", "secret\n");
        var caDir = dir.File("ca");

        var result = ServerCliRun.InProcess(["ca", "init", "--dir", caDir, "--password-file", password, .. typeArgs]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var user = SshPublicKeyParser.ParseLine(File.ReadAllText(Path.Combine(caDir, "user_ca.pub")).Trim());
        var host = SshPublicKeyParser.ParseLine(File.ReadAllText(Path.Combine(caDir, "host_ca.pub")).Trim());
        Assert.Equal((keyType, bits), (user.KeyType, user.SizeInBits));
        Assert.Equal((keyType, bits), (host.KeyType, host.SizeInBits));
        Assert.Contains(user.Fingerprint, result.Out);
        Assert.Contains(host.Fingerprint, result.Out);
        // The printed known_hosts line is ready to paste.
        var caLine = result.Out.Split('\n').Single(l => l.StartsWith("@cert-authority", StringComparison.Ordinal));
        Assert.Equal(host, KnownHostsCertAuthority.Parse(caLine).Key);
        Assert.True(File.Exists(Path.Combine(caDir, "user_ca.key.enc")));
        Assert.True(File.Exists(Path.Combine(caDir, "host_ca.key.enc")));
    }

    [Fact]
    public void SecondInitRefusesAndLeavesTheCaAlone()
    {
        using var dir = new TempDirectory();
        var password = dir.WritePrivate("pw", "secret\n");
        var caDir = dir.File("ca");
        Assert.Equal(0, ServerCliRun.InProcess("ca", "init", "--dir", caDir, "--password-file", password).ExitCode);
        var before = File.ReadAllBytes(Path.Combine(caDir, "user_ca.key.enc"));

        var again = ServerCliRun.InProcess("ca", "init", "--dir", caDir, "--password-file", password);

        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"beacon-server: {Path.Combine(caDir, "user_ca.pub")} already exists; refusing to overwrite a CA", Assert.Single(again.ErrorLines));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(caDir, "user_ca.key.enc")));
    }

    [Theory]
    [InlineData("an RSA CA below 3072 bits", 2, new[] { "--type", "rsa", "--bits", "2048" })]
    [InlineData("an unknown type", 2, new[] { "--type", "dsa" })]
    [InlineData("P-521", 2, new[] { "--type", "ecdsa", "--bits", "521" })]
    [InlineData("no password file option", 2, new[] { "--password-file" })]
    [InlineData("an empty password", 1, new[] { "EMPTY" })]
    [InlineData("a missing password file", 1, new[] { "MISSING" })]
    public void BadInitGetsOneLineAndWritesNothing(string description, int exitCode, string[] extra)
    {
        using var dir = new TempDirectory();
        var caDir = dir.File("ca");
        var password = extra is ["EMPTY"] ? dir.WritePrivate("pw", "\n") : extra is ["MISSING"] ? dir.File("missing") : dir.WritePrivate("pw", "secret\n");
        string[] args = extra is ["--password-file"]
            ? ["ca", "init", "--dir", caDir]
            : ["ca", "init", "--dir", caDir, "--password-file", password, .. extra.Where(e => e is not ("EMPTY" or "MISSING"))];

        var result = ServerCliRun.InProcess(args);

        Assert.True(result.ExitCode == exitCode, $"{description}: {result}");
        Assert.Single(result.ErrorLines);
        Assert.False(Directory.Exists(caDir) && Directory.GetFiles(caDir).Length > 0, description);
    }

    [Fact]
    public void HelpDescribesTheFilesAndTypes()
    {
        var result = ServerCliRun.InProcess("ca", "init", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var text in new[] { "--dir", "--password-file", "--type", "--bits", "user_ca.pub", "host_ca.key.enc", "0600", "ed25519|ecdsa|rsa" })
        {
            Assert.Contains(text, result.Out);
        }
    }

    [Fact]
    public void RootHelpListsTheExitCodes()
    {
        var result = ServerCliRun.InProcess("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Exit codes: 0 success, 1 failure or bad input, 2 usage error.", result.Out);
    }
}
