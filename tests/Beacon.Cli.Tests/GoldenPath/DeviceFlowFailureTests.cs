using Beacon.Testing;

namespace Beacon.Cli.Tests.GoldenPath;

/// <summary>beacon login with GitHub (the double's device flow) and every way a device login ends badly: one line on stderr, exit 1, never a stack trace.</summary>
[Collection(GoldenPathCollection.Name)]
public sealed class DeviceFlowFailureTests
{
    private readonly GoldenPathFixture _peers;

    public DeviceFlowFailureTests(GoldenPathFixture peers) => _peers = peers;

    [RequiresGoldenPathFact]
    public void GitHubDeviceFlowGetsACertificateForTheGitHubLogin()
    {
        var octo = _peers.GitHub.AddUser("octo-gh");
        using var user = new TestUser(_peers);
        Assert.Equal(0, user.Init().ExitCode);
        var login = user.LoginWithGitHub(octo);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Logged in as octo-gh (github)", login.Out, StringComparison.Ordinal);
        Assert.Equal(0, user.Beacon("trust").ExitCode);
        var ssh = user.Ssh("root", "echo hello-octo");
        Assert.True(ssh.ExitCode == 0, $"{ssh}\n{_peers.Sshd.Log}");
    }

    [RequiresGoldenPathFact]
    public void ADeniedLoginSaysSo()
    {
        using var user = new TestUser(_peers);
        Assert.Equal(0, user.Init().ExitCode);
        var login = user.LoginWithGitHub(approveAs: null, deny: true);
        AssertOneLineFailure(login, "beacon: the login was denied at the identity provider");
    }

    [RequiresGoldenPathFact]
    public void ACodeNobodyApprovesExpires()
    {
        using var user = new TestUser(_peers);
        Assert.Equal(0, user.Init().ExitCode);
        var lifetime = _peers.GitHub.DeviceCodeLifetimeSeconds;
        _peers.GitHub.DeviceCodeLifetimeSeconds = 3;
        try
        {
            var login = user.LoginWithGitHub(approveAs: null);
            AssertOneLineFailure(login, "beacon: the login code expired before it was approved; run `beacon login` again");
        }
        finally
        {
            _peers.GitHub.DeviceCodeLifetimeSeconds = lifetime;
        }
    }

    [RequiresGoldenPathFact]
    public void AProviderThatIsDownIsNamed()
    {
        using var user = new TestUser(_peers);
        Assert.Equal(0, user.Init().ExitCode);
        var login = user.Beacon("login", "--provider", "down");
        AssertOneLineFailure(login, $"beacon: cannot reach the identity provider at {_peers.DeadIssuer}:");
    }

    [RequiresGoldenPathFact]
    public void ProviderWithoutDeviceLoginIsRefusedByName()
    {
        using var user = new TestUser(_peers);
        Assert.Equal(0, user.Init().ExitCode);
        AssertOneLineFailure(user.Beacon("login", "--provider", "actions"), "beacon: identity provider \"actions\" (jwt) has no device login configured on the server");
        AssertOneLineFailure(user.Beacon("login", "--provider", "nope"), "beacon: the server has no identity provider \"nope\"");
    }

    [RequiresGoldenPathFact]
    public void LoginWithoutAPassphraseSourceSaysHowToGiveOne()
    {
        var octo = _peers.GitHub.AddUser("octo-nopass");
        using var user = new TestUser(_peers);
        user.Environment.Remove("BEACON_KEY_PASSPHRASE");
        Assert.Equal(0, user.Init().ExitCode);
        var login = user.LoginWithGitHub(octo);
        AssertOneLineFailure(login, "beacon: your key needs a passphrase and there is no terminal to ask: set BEACON_KEY_PASSPHRASE");
    }

    [RequiresGoldenPathFact]
    public void AWrongPassphraseForAnExistingKeyIsSaidOnceNotRetriedForever()
    {
        var octo = _peers.GitHub.AddUser("octo-wrongpass");
        using var user = new TestUser(_peers);
        Assert.Equal(0, user.Init().ExitCode);
        Assert.Equal(0, user.LoginWithGitHub(octo).ExitCode);
        user.Environment["BEACON_KEY_PASSPHRASE"] = "not the passphrase";
        var again = user.LoginWithGitHub(octo);
        AssertOneLineFailure(again, "beacon: ssh-add could not load your key into the agent: wrong passphrase for your key");
    }

    private static void AssertOneLineFailure(CliResult result, string expectedStart)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.True(line.StartsWith(expectedStart, StringComparison.Ordinal), line);
        Assert.DoesNotContain("   at ", result.Out + result.Error, StringComparison.Ordinal);
    }
}
