using Beacon.Testing;

namespace Beacon.Cli.Tests.Commands;

/// <summary>Bad input and missing setup: one line on stderr, exit 1 (usage: 2), no network needed.</summary>
public sealed class CommandErrorTests
{
    private static Dictionary<string, string> Home(TempDirectory home) => new() { ["HOME"] = home.Path, ["PATH"] = "/usr/bin:/bin" };

    [Theory]
    [InlineData("login")]
    [InlineData("trust")]
    [InlineData("ssh", "host")]
    public void CommandsBeforeInitSayToRunInit(params string[] args)
    {
        using var home = new TempDirectory();
        var result = CliRun.WithEnvironment(Home(home), args);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("beacon: not initialised: run `beacon init --server URL --fingerprint SHA256` first", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a fingerprint that is not a SHA-256", "https://127.0.0.1:8443", "abc", "beacon: fingerprint: a TLS fingerprint is the SHA-256 of the certificate: 64 hex digits")]
    [InlineData("plain http", "http://127.0.0.1:8443", "0000000000000000000000000000000000000000000000000000000000000000", "beacon: server: \"http://127.0.0.1:8443\" is not an https:// URL")]
    public void InitRefusesWhatCannotBePinned(string description, string server, string fingerprint, string expected)
    {
        using var home = new TempDirectory();
        var result = CliRun.WithEnvironment(Home(home), "init", "--server", server, "--fingerprint", fingerprint);
        Assert.True(result.ExitCode == 1, description);
        Assert.StartsWith(expected, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(home.Path, ".config", "beacon")));
    }

    [Fact]
    public void InitWithAServerThatIsNotThereSaysSo()
    {
        using var home = new TempDirectory();
        var result = CliRun.WithEnvironment(Home(home), "init", "--server", $"https://127.0.0.1:{FreePort.Next()}", "--fingerprint", new string('a', 64));
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("beacon: init: cannot reach the server: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void StatusWithNothingSetUpExitsOneAndSaysWhatIsMissing()
    {
        using var home = new TempDirectory();
        var result = CliRun.WithEnvironment(Home(home), "status");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not initialised (beacon init)", result.Out, StringComparison.Ordinal);
        Assert.Contains("certificate:  none (beacon login)", result.Out, StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }

    [Theory]
    [InlineData("cert", "--out", "x")]
    [InlineData("cert", "--github-actions", "--id-token-file", "t", "--agent")]
    [InlineData("cert", "--github-actions")]
    [InlineData("cert", "--github-actions", "--agent", "--out", "x")]
    public void CertNeedsOneTokenSourceAndOneDestination(params string[] args)
    {
        var result = CliRun.InProcess(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.ErrorLines);
    }

    [Fact]
    public void CertWithATokenFileThatIsNotAJwtIsRefusedBeforeAnyRequest()
    {
        using var home = new TempDirectory();
        var token = home.Write("token", "not a jwt");
        var environment = Home(home);
        // No server listens here: the token is judged before any connection.
        environment["BEACON_SERVER"] = $"https://127.0.0.1:{FreePort.Next()}";
        environment["BEACON_FINGERPRINT"] = new string('a', 64);
        var result = CliRun.WithEnvironment(environment, "cert", "--id-token-file", token, "--out", home.File("out"));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"beacon: {token}: not a JWT", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void SshHelpIsOurs()
    {
        var result = CliRun.InProcess("ssh", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("BEACON_SSH", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCommandHasHelp()
    {
        foreach (var command in new[] { "init", "login", "trust", "status", "logout", "cert", "inspect" })
        {
            var result = CliRun.InProcess(command, "--help");
            Assert.True(result.ExitCode == 0, $"{command}: {result}");
            Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        }
    }
}

/// <summary>beacon ssh decides locally, before any request, when only a new login can help.</summary>
public sealed class SshRenewalDecisionTests
{
    [Fact]
    public void AnExpiredLoginTokenWithNoCertificateSaysToLogInWithoutAsking()
    {
        using var home = new TempDirectory();
        var paths = new Beacon.Cli.Settings.BeaconPaths(Path.Combine(home.Path, "beacon"), home.Path);
        // A closed port: had beacon asked the server, the message would be "cannot reach the server".
        new Beacon.Cli.Settings.CliConfig($"https://127.0.0.1:{FreePort.Next()}", new string('a', 64)).Save(paths);
        Beacon.Cli.Settings.TokenStore.Save(paths, new Beacon.Cli.Settings.StoredToken("corp", "eyJ.x.y",
            DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(-5)));
        var result = CliRun.WithEnvironment(new Dictionary<string, string> { ["HOME"] = home.Path, ["BEACON_CONFIG_DIR"] = paths.Directory }, "ssh", "host");
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("beacon: your certificate is missing and your login expired at ", line, StringComparison.Ordinal);
        Assert.EndsWith(": run `beacon login`", line, StringComparison.Ordinal);
    }
}
