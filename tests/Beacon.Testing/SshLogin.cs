using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;

namespace Beacon.Testing;

/// <summary>
/// One ssh login against a test sshd from in-memory keys: writes the key, certificate and a known_hosts
/// trusting the server's host key to a private temporary directory, runs <see cref="SshClient"/>, cleans up.
/// </summary>
public static class SshLogin
{
    public static ProcessResult WithKey(SshdServer server, string user, SshPrivateKey key, SshCertificate? certificate, string command = "true")
    {
        using var temp = new TempDirectory("beacon-ssh-");
        var keyFile = temp.WritePrivate("id", OpenSshPrivateKeyFile.Write(key));
        var certificateFile = certificate is null ? null : temp.Write("id-cert.pub", certificate.ToOpenSshString() + "\n");
        return SshClient.For(server, temp.Write("known_hosts", server.KnownHostsLine + "\n")).RunWithKey(user, keyFile, certificateFile, command);
    }

    public static ProcessResult WithAgent(SshdServer server, string user, string agentSocket, string command = "true")
    {
        using var temp = new TempDirectory("beacon-ssh-");
        return SshClient.For(server, temp.Write("known_hosts", server.KnownHostsLine + "\n")).RunWithAgent(user, agentSocket, command);
    }
}
