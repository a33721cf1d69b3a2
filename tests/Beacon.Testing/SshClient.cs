namespace Beacon.Testing;

/// <summary>
/// Runs the real OpenSSH client against a test server with no prompt and nothing from the user's own
/// configuration: -F /dev/null, only the known_hosts file given, StrictHostKeyChecking=yes and BatchMode.
/// A refusal is exit code 255 with the reason on stderr.
/// </summary>
public sealed class SshClient(int port, string knownHostsFile)
{
    public int Port { get; } = port;

    public string KnownHostsFile { get; } = knownHostsFile;

    /// <summary>The address to connect to; the name checked against a host certificate's principals.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Further -o options ("Name=value"). They come first, and ssh keeps the first value it sees, so they win.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>A client for a test sshd whose host is trusted through <paramref name="knownHostsFile"/>.</summary>
    public static SshClient For(SshdServer server, string knownHostsFile) => new(server.Port, knownHostsFile);

    /// <summary>Logs in with a key file and, when given, its certificate, and runs <paramref name="command"/>.</summary>
    public ProcessResult RunWithKey(string user, string identityFile, string? certificateFile, string command)
    {
        var arguments = new List<string> { "-i", identityFile, "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none" };
        if (certificateFile is not null)
        {
            arguments.AddRange(["-o", $"CertificateFile={certificateFile}"]);
        }
        return Run(arguments, user, command);
    }

    /// <summary>Logs in with whatever the ssh-agent at <paramref name="agentSocket"/> holds and runs <paramref name="command"/>.</summary>
    public ProcessResult RunWithAgent(string user, string agentSocket, string command) =>
        Run(["-o", $"IdentityAgent={agentSocket}", "-o", "IdentitiesOnly=no"], user, command);

    private ProcessResult Run(List<string> identity, string user, string command)
    {
        var arguments = new List<string> { "-F", "/dev/null", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var option in Options)
        {
            arguments.AddRange(["-o", option]);
        }
        arguments.AddRange(identity);
        arguments.AddRange([
            "-o", $"UserKnownHostsFile={KnownHostsFile}",
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=10",
            "-o", "LogLevel=ERROR",
        ]);
        arguments.Add($"{user}@{Host}");
        arguments.Add(command);
        return OpenSsh.Run(OpenSsh.Ssh, arguments, timeout: Timeout);
    }
}
