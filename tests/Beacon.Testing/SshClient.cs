using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;

namespace Beacon.Testing;

/// <summary>
/// Runs the real ssh client against a test sshd with no prompt possible: BatchMode, strict host key
/// checking against a known_hosts file of the test's own, and exactly the identity it is given.
/// </summary>
public static class SshClient
{
    /// <summary>Connects with a key file and its certificate and runs a command.</summary>
    /// <param name="knownHostsLines">The client's whole known_hosts; by default the server's host key itself, so only user authentication is tested.</param>
    public static ProcessResult Run(SshdServer server, string user, SshPrivateKey key, SshCertificate? certificate, string command = "true",
        IEnumerable<string>? knownHostsLines = null)
    {
        using var temp = new TempDirectory("beacon-ssh-");
        var keyFile = temp.WritePrivate("id", OpenSshPrivateKeyFile.Write(key));
        var arguments = BaseArguments(server, temp, knownHostsLines);
        arguments.AddRange(["-i", keyFile, "-o", "IdentitiesOnly=yes"]);
        if (certificate is not null)
        {
            arguments.AddRange(["-o", $"CertificateFile={temp.Write("id-cert.pub", certificate.ToOpenSshString() + "\n")}"]);
        }
        arguments.AddRange(["-o", "IdentityAgent=none", $"{user}@127.0.0.1", command]);
        return OpenSsh.Run(OpenSsh.Ssh, arguments, timeout: TimeSpan.FromSeconds(30));
    }

    /// <summary>Connects using only what the agent at <paramref name="agentSocket"/> offers.</summary>
    public static ProcessResult RunWithAgent(SshdServer server, string user, string agentSocket, string command = "true", IEnumerable<string>? knownHostsLines = null)
    {
        using var temp = new TempDirectory("beacon-ssh-");
        var arguments = BaseArguments(server, temp, knownHostsLines);
        arguments.AddRange(["-o", $"IdentityAgent={agentSocket}", $"{user}@127.0.0.1", command]);
        return OpenSsh.Run(OpenSsh.Ssh, arguments, timeout: TimeSpan.FromSeconds(30));
    }

    /// <summary>The known_hosts line that trusts a host CA for the test server's addresses.</summary>
    public static string CertAuthorityLine(SshPublicKey hostCa) => $"@cert-authority 127.0.0.1,localhost {hostCa.ToOpenSshString()}";

    private static List<string> BaseArguments(SshdServer server, TempDirectory temp, IEnumerable<string>? knownHostsLines)
    {
        var knownHosts = temp.Write("known_hosts", string.Join('\n', knownHostsLines ?? [$"[127.0.0.1]:{server.Port} {server.HostKey.PublicKey.ToOpenSshString()}"]) + "\n");
        return
        [
            "-F", "/dev/null",
            "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-o", $"UserKnownHostsFile={knownHosts}",
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=10",
            "-o", "LogLevel=ERROR",
        ];
    }
}
