using Beacon.Host.Tests.Support;

namespace Beacon.Host.Tests.Cli;

/// <summary>The command line's contract: help with the exit codes, usage errors exit 2, failures one line and exit 1.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void HelpNamesEveryCommandAndTheExitCodes()
    {
        using var root = new HostRoot();
        var output = new StringWriter();
        Assert.Equal(0, BeaconHostCli.Run(["--help"], output, new StringWriter()));
        foreach (var command in new[] { "bootstrap", "enroll", "renew", "sync", "status", "install", "Exit codes: 0" })
        {
            Assert.Contains(command, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("bootstrap")]
    [InlineData("enroll")]
    [InlineData("renew")]
    [InlineData("sync")]
    [InlineData("status")]
    [InlineData("install")]
    public void EveryCommandsHelpStatesTheExitCodes(string command)
    {
        var output = new StringWriter();
        Assert.Equal(0, BeaconHostCli.Run([command, "--help"], output, new StringWriter()));
        Assert.Contains(BeaconHostCli.ExitCodeHelp, output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--root", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("an unknown command", new[] { "frobnicate" })]
    [InlineData("bootstrap without --server", new[] { "bootstrap", "--fingerprint", "00", "--bundle-key", "k" })]
    [InlineData("a fingerprint that is not a SHA-256", new[] { "bootstrap", "--server", "https://h", "--fingerprint", "abc", "--bundle-key", "k" })]
    [InlineData("a plain http server", new[] { "bootstrap", "--server", "http://h", "--fingerprint", "abc", "--bundle-key", "k" })]
    [InlineData("a malformed duration", new[] { "renew", "--if-expiring-within", "seven days" })]
    [InlineData("enroll without a token", new[] { "enroll" })]
    public void AUsageErrorExits2WithOneLine(string why, string[] args)
    {
        using var root = new HostRoot();
        var result = root.Run(args);
        Assert.True(result.ExitCode == 2, $"{why}: {result}");
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("beacon-host: ", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("status")]
    [InlineData("renew")]
    [InlineData("install")]
    [InlineData("enroll --token beacon-host-x")]
    public void WithoutBootstrapEveryCommandSaysSoInOneLine(string commandLine)
    {
        using var root = new HostRoot();
        var result = root.Run(commandLine.Split(' '));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"beacon-host: {root.Paths.ConfigFile}: missing; run beacon-host bootstrap first\n", result.StandardError);
    }

    [Fact]
    public void BootstrapRefusesABundleKeyThatIsNotAnOpenPgpKeyAndWritesNothing()
    {
        using var root = new HostRoot();
        var key = root.Directory.Write("not-a-key.asc", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
        var result = root.Run("bootstrap", "--server", "https://127.0.0.1:1", "--fingerprint", new string('a', 64), "--bundle-key", key);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a usable OpenPGP public key", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(root.Paths.ConfigFile));
    }

    [Fact]
    public void ACorruptConfigIsOneLineNotAStackTrace()
    {
        using var root = new HostRoot();
        Directory.CreateDirectory(root.Paths.ConfigDirectory);
        File.WriteAllText(root.Paths.ConfigFile, "{ \"server\": ");
        var result = root.Run("status");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"beacon-host: {root.Paths.ConfigFile}: not valid", result.StandardError, StringComparison.Ordinal);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }
}
