using Beacon.Ssh.Certificates;
using Beacon.Testing;

namespace Beacon.Cli.Tests.GoldenPath;

/// <summary>
/// DESIGN flow 8: a CI job's OIDC token (GitHub Actions-shaped, signed by a real issuer's key) buys a
/// ten-minute certificate on an in-memory key, bound by the server to a repository and a branch.
/// </summary>
[Collection(GoldenPathCollection.Name)]
public sealed class CiModeTests
{
    private readonly GoldenPathFixture _peers;

    public CiModeTests(GoldenPathFixture peers) => _peers = peers;

    private string ActionsToken(string repository, string gitRef, string audience = GoldenPathFixture.CiAudience) => _peers.Oidc.Sign(new Dictionary<string, object>
    {
        ["iss"] = _peers.Oidc.Issuer,
        ["aud"] = audience,
        ["sub"] = $"repo:{repository}:ref:{gitRef}",
        ["repository"] = repository,
        ["ref"] = gitRef,
        ["actor"] = "octocat",
        ["workflow"] = "deploy",
        ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["exp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 300,
    });

    /// <summary>A runner: no config, no HOME files; the server comes from the environment as a workflow would give it.</summary>
    private Dictionary<string, string?> Runner(TempDirectory home) => new()
    {
        ["HOME"] = home.Path,
        ["BEACON_SERVER"] = _peers.Server.Url,
        ["BEACON_FINGERPRINT"] = _peers.Server.Fingerprint,
    };

    [RequiresGoldenPathFact]
    public void ATokenOfTheBoundRepositoryAndBranchGetsATenMinuteCertificateThatSshdAccepts()
    {
        using var home = new TempDirectory("beacon-runner-");
        var tokenFile = home.WritePrivate("id-token", ActionsToken("acme/deploy-web", "refs/heads/main"));
        var output = Path.Combine(home.Path, "ssh");
        var cert = BeaconProcess.Run(Runner(home), "cert", "--id-token-file", tokenFile, "--out", output);
        Assert.True(cert.ExitCode == 0, cert.ToString());

        var keyFile = Path.Combine(output, "id_ed25519");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        var certificate = SshCertificateParser.ParseLine(File.ReadAllText(keyFile + "-cert.pub").Trim());
        Assert.Equal(["deploy"], certificate.Principals);
        Assert.StartsWith("beacon:actions:octocat:", certificate.KeyId, StringComparison.Ordinal);
        Assert.InRange(certificate.ValidBeforeTime - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(10.5));
        Assert.False(Directory.Exists(Path.Combine(home.Path, ".config", "beacon")));

        var login = SshClient.For(_peers.Sshd, home.Write("known_hosts", _peers.Sshd.KnownHostsLine + "\n")).RunWithKey("root", keyFile, keyFile + "-cert.pub", "echo from-ci");
        Assert.True(login.ExitCode == 0, $"{login}\n{_peers.Sshd.Log}");
    }

    [RequiresGoldenPathFact]
    public void AnotherRepositoryIsRefusedNamingTheClaim()
    {
        using var home = new TempDirectory("beacon-runner-");
        var tokenFile = home.WritePrivate("id-token", ActionsToken("evil/deploy-web", "refs/heads/main"));
        var cert = BeaconProcess.Run(Runner(home), "cert", "--id-token-file", tokenFile, "--out", Path.Combine(home.Path, "ssh"));
        Assert.True(cert.ExitCode == 1, cert.ToString());
        var line = Assert.Single(cert.ErrorLines);
        Assert.StartsWith("beacon: certificate: refused (403): ", line, StringComparison.Ordinal);
        Assert.Contains("claim \"repository\" value \"evil/deploy-web\"", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(home.Path, "ssh")));
    }

    [RequiresGoldenPathFact]
    public void AnotherBranchIsRefusedNamingTheClaim()
    {
        using var home = new TempDirectory("beacon-runner-");
        var tokenFile = home.WritePrivate("id-token", ActionsToken("acme/deploy-web", "refs/heads/feature"));
        var cert = BeaconProcess.Run(Runner(home), "cert", "--id-token-file", tokenFile, "--out", Path.Combine(home.Path, "ssh"));
        Assert.True(cert.ExitCode == 1, cert.ToString());
        Assert.Contains("claim \"ref\" value \"refs/heads/feature\" does not match \"refs/heads/main\"", Assert.Single(cert.ErrorLines), StringComparison.Ordinal);
    }

    [RequiresGoldenPathFact]
    public void GitHubActionsModeAsksForTheServersAudienceAndPutsTheCertificateInTheAgentOnly()
    {
        using var home = new TempDirectory("beacon-runner-");
        using var agent = SshAgentProcess.Start();
        using var service = new ActionsTokenService(audience => ActionsToken("acme/deploy-api", "refs/heads/main", audience));
        var environment = Runner(home);
        environment["SSH_AUTH_SOCK"] = agent.SocketPath;
        environment["ACTIONS_ID_TOKEN_REQUEST_URL"] = service.RequestUrl;
        environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = service.RequestToken;
        var cert = BeaconProcess.Run(environment, "cert", "--github-actions", "--agent");
        Assert.True(cert.ExitCode == 0, cert.ToString());
        Assert.Equal([GoldenPathFixture.CiAudience], service.Audiences);
        Assert.Contains("ED25519-CERT", agent.SshAdd("-l").StandardOutput, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(home.Path));

        var login = SshClient.For(_peers.Sshd, home.Write("known_hosts", _peers.Sshd.KnownHostsLine + "\n")).RunWithAgent("root", agent.SocketPath, "echo from-actions");
        Assert.True(login.ExitCode == 0, $"{login}\n{_peers.Sshd.Log}");
    }

    [RequiresGoldenPathFact]
    public void OutsideAnActionsJobGitHubActionsModeSaysWhatIsMissing()
    {
        using var home = new TempDirectory("beacon-runner-");
        var cert = BeaconProcess.Run(Runner(home), "cert", "--github-actions", "--agent");
        Assert.Equal(1, cert.ExitCode);
        Assert.StartsWith("beacon: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set", Assert.Single(cert.ErrorLines), StringComparison.Ordinal);
    }
}
