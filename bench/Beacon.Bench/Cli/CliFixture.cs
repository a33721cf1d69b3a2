using System.Diagnostics;
using System.Net.Sockets;
using Beacon.Ssh.Agent;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;

namespace Beacon.Bench.Cli;

/// <summary>
/// A user as `beacon login` leaves them, without any server: an encrypted key (ssh-keygen), a valid
/// certificate beside it from a throwaway CA, both in a private ssh-agent, and a config whose server
/// address is a closed port, so any network use by beacon would fail the run.
/// </summary>
internal sealed class CliFixture : IDisposable
{
    private readonly Process _agent;

    private CliFixture(string root, Process agent, string socket)
    {
        Root = root;
        _agent = agent;
        AgentSocket = socket;
    }

    public string Root { get; }

    public string Home => Path.Combine(Root, "home");

    public string AgentSocket { get; }

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["HOME"] = Home,
        ["SSH_AUTH_SOCK"] = AgentSocket,
        ["BEACON_CONFIG_DIR"] = Path.Combine(Home, ".config", "beacon"),
        ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
    };

    public static async Task<CliFixture> CreateAsync()
    {
        var root = Directory.CreateTempSubdirectory("beacon-bench-cli-").FullName;
        var config = Path.Combine(root, "home", ".config", "beacon");
        Directory.CreateDirectory(config, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = Path.Combine(config, "id_ed25519");
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f", key);
        using var userKey = OpenSshPrivateKeyFile.Read(File.ReadAllText(key));
        using var ca = Ed25519PrivateKey.Generate();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var certificate = new SshCertificateBuilder
        {
            PublicKey = userKey.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "beacon:corp:bench:00000000",
            Principals = ["bench"],
            ValidAfter = (ulong)(now - 60),
            ValidBefore = (ulong)(now + 3600),
            Extensions = [SshCertificateOption.Flag("permit-pty")],
        }.Sign(ca);
        await File.WriteAllTextAsync(key + "-cert.pub", certificate.ToOpenSshString() + "\n");
        // beacon keeps keys encrypted at rest: encrypt it now, as login would have made it.
        Run("ssh-keygen", "-q", "-p", "-P", "", "-N", "bench passphrase", "-f", key);
        var closedPort = new TcpListener(System.Net.IPAddress.Loopback, 0);
        closedPort.Start();
        var port = ((System.Net.IPEndPoint)closedPort.LocalEndpoint).Port;
        closedPort.Stop();
        await File.WriteAllTextAsync(Path.Combine(config, "config.json"),
            $"{{\"server\": \"https://127.0.0.1:{port}\", \"fingerprint\": \"{new string('0', 64)}\", \"provider\": \"corp\"}}\n");

        var socket = Path.Combine(root, "agent.sock");
        var agent = Process.Start(new ProcessStartInfo("ssh-agent", ["-D", "-a", socket]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var fixture = new CliFixture(root, agent, socket);
        for (var attempt = 0; !File.Exists(socket) && attempt < 200; attempt++)
        {
            await Task.Delay(10);
        }
        await Task.Delay(50);
        await using var client = await SshAgentClient.ConnectAsync(socket);
        await client.AddCertificateAsync(userKey, certificate, "bench", TimeSpan.FromHours(1));
        return fixture;
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {error}");
        }
    }

    public void Dispose()
    {
        try
        {
            _agent.Kill();
            _agent.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _agent.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
