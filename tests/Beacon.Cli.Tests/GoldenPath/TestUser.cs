using System.Net;
using System.Text.RegularExpressions;
using Beacon.Server.Tests.Fixtures;
using Beacon.Testing;

namespace Beacon.Cli.Tests.GoldenPath;

/// <summary>
/// One person at one laptop: a HOME of their own (so beacon's files land in ~/.config/beacon and
/// ~/.ssh/known_hosts), their own ssh-agent, and a key passphrase for automation.
/// </summary>
internal sealed partial class TestUser : IDisposable
{
    public const string KeyPassphrase = "correct horse battery staple";

    private readonly GoldenPathFixture _peers;

    public TestUser(GoldenPathFixture peers)
    {
        _peers = peers;
        Home = new TempDirectory("beacon-home-");
        Agent = SshAgentProcess.Start();
        Environment = new Dictionary<string, string?>
        {
            ["HOME"] = Home.Path,
            ["SSH_AUTH_SOCK"] = Agent.SocketPath,
            ["BEACON_KEY_PASSPHRASE"] = KeyPassphrase,
        };
    }

    public TempDirectory Home { get; }

    public SshAgentProcess Agent { get; }

    public Dictionary<string, string?> Environment { get; }

    public string ConfigDirectory => Path.Combine(Home.Path, ".config", "beacon");

    public string KnownHosts => Path.Combine(Home.Path, ".ssh", "known_hosts");

    public CliResult Beacon(params string[] args) => BeaconProcess.Run(Environment, args);

    public CliResult Init() => Beacon("init", "--server", _peers.Server.Url, "--fingerprint", _peers.Server.Fingerprint, "--provider", "corp");

    /// <summary>beacon login with the OpenID provider, the test playing the person at the browser.</summary>
    public async Task<CliResult> LoginWithOidcAsync(string account, params string[] extra)
    {
        using var login = BeaconProcess.Start(Environment, ["login", "--provider", "corp", .. extra]);
        var complete = login.WaitForOutput(CompleteUri()).Groups[1].Value;
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true });
        await OidcDeviceFlowDriver.ApproveAsync(browser, complete, account);
        return login.Finish();
    }

    /// <summary>beacon login with GitHub (the double): the person enters the code and approves, or denies.</summary>
    public CliResult LoginWithGitHub(GitHubUser? approveAs, bool deny = false)
    {
        using var login = BeaconProcess.Start(Environment, "login", "--provider", "github");
        var code = login.WaitForOutput(UserCode()).Groups[1].Value;
        if (deny)
        {
            _peers.GitHub.DenyDevice(code);
        }
        else if (approveAs is not null)
        {
            _peers.GitHub.ApproveDevice(code, approveAs);
        }
        return login.Finish();
    }

    /// <summary>beacon ssh to the test sshd, with host trust from known_hosts only (no prompt, no fallback).</summary>
    public CliResult Ssh(string account, string command) => Beacon("ssh", "-F", "/dev/null", "-p", _peers.Sshd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-o", $"UserKnownHostsFile={KnownHosts}", "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR", $"{account}@127.0.0.1", command);

    public void Dispose()
    {
        Agent.Dispose();
        Home.Dispose();
    }

    [GeneratedRegex(@"\(or open (\S+)\)")]
    private static partial Regex CompleteUri();

    [GeneratedRegex(@"enter the code (\S+)")]
    private static partial Regex UserCode();
}
