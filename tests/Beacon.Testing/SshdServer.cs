using System.Diagnostics;
using System.Net.Sockets;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;

namespace Beacon.Testing;

/// <summary>
/// A real OpenSSH sshd on 127.0.0.1, run in the foreground as a child process with a config file of its
/// own. Its trust files (TrustedUserCAKeys, RevokedKeys, the principals of each account) live in a
/// root-owned 0755 directory and may be rewritten between connections: sshd reads them per connection.
/// </summary>
public sealed class SshdServer : IDisposable
{
    private readonly Process _process;

    private SshdServer(string directory, int port, Process process, SshPrivateKey hostKey)
    {
        Directory = directory;
        Port = port;
        _process = process;
        HostKey = hostKey;
    }

    /// <summary>The root-owned directory holding the config and trust files.</summary>
    public string Directory { get; }

    public int Port { get; }

    public SshPrivateKey HostKey { get; }

    public string TrustedUserCaKeysFile => Path.Combine(Directory, "trusted_user_ca_keys");

    public string RevokedKeysFile => Path.Combine(Directory, "revoked_keys");

    public string PrincipalsDirectory => Path.Combine(Directory, "principals");

    /// <summary>Starts sshd. The host key is generated; a host certificate is installed when given.</summary>
    /// <param name="trustedUserCas">The CAs whose user certificates are accepted.</param>
    /// <param name="hostCertificate">Signs <paramref name="hostKey"/>; sshd presents it to clients.</param>
    public static SshdServer Start(IEnumerable<SshPublicKey> trustedUserCas, SshPrivateKey? hostKey = null, Func<SshPublicKey, SshCertificate>? hostCertificate = null,
        bool usePrincipalsFiles = true)
    {
        if (OpenSsh.MissingTools() is { } missing)
        {
            throw new InvalidOperationException($"OpenSSH is not installed ({missing}); run scripts/test, which installs it");
        }
        System.IO.Directory.CreateDirectory("/run/sshd");
        // sshd's StrictModes refuses files under a world-writable parent such as /tmp or /var/tmp, so the trust files
        // live below a root-owned 0755 directory of their own.
        var directory = Path.Combine("/run", "beacon-sshd-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        hostKey ??= Ed25519PrivateKey.Generate();
        var hostKeyFile = Path.Combine(directory, "host_key");
        WritePrivate(hostKeyFile, OpenSshPrivateKeyFile.Write(hostKey, "test host"));
        var config = new List<string>
        {
            "ListenAddress 127.0.0.1",
            $"HostKey {hostKeyFile}",
            $"TrustedUserCAKeys {Path.Combine(directory, "trusted_user_ca_keys")}",
            $"RevokedKeys {Path.Combine(directory, "revoked_keys")}",
            "AuthorizedKeysFile none",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "PermitRootLogin prohibit-password",
            "StrictModes yes",
            "LogLevel VERBOSE",
            $"PidFile {Path.Combine(directory, "sshd.pid")}",
            "MaxStartups 100:30:200",
        };
        if (usePrincipalsFiles)
        {
            var principals = Path.Combine(directory, "principals");
            System.IO.Directory.CreateDirectory(principals);
            File.SetUnixFileMode(principals, (UnixFileMode)0b111_101_101);
            config.Add($"AuthorizedPrincipalsFile {principals}/%u");
        }
        if (hostCertificate is not null)
        {
            var certificateFile = Path.Combine(directory, "host_key-cert.pub");
            File.WriteAllText(certificateFile, hostCertificate(hostKey.PublicKey).ToOpenSshString() + "\n");
            config.Add($"HostCertificate {certificateFile}");
        }
        var server = StartWithRetries(directory, config, hostKey);
        server.SetTrustedUserCas(trustedUserCas);
        server.SetRevokedKeys(EmptyKrl());
        return server;
    }

    /// <summary>Writes TrustedUserCAKeys.</summary>
    public void SetTrustedUserCas(IEnumerable<SshPublicKey> cas) =>
        File.WriteAllLines(TrustedUserCaKeysFile, cas.Select(ca => ca.ToOpenSshString()));

    /// <summary>Writes the RevokedKeys file (a KRL, or a list of public keys).</summary>
    public void SetRevokedKeys(byte[] content) => File.WriteAllBytes(RevokedKeysFile, content);

    /// <summary>Writes the principals an account accepts (its AuthorizedPrincipalsFile).</summary>
    public void SetPrincipals(string account, params string[] principals)
    {
        var path = Path.Combine(PrincipalsDirectory, account);
        File.WriteAllLines(path, principals);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
    }

    /// <summary>An empty KRL made by ssh-keygen: a missing RevokedKeys file makes sshd refuse every key.</summary>
    public static byte[] EmptyKrl()
    {
        using var temp = new TempDirectory();
        var path = temp.File("empty.krl");
        var result = OpenSsh.Run(OpenSsh.SshKeygen, ["-k", "-f", path]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-keygen -k failed: {result}");
        }
        return File.ReadAllBytes(path);
    }

    /// <summary>What sshd has logged so far (useful in assertion messages).</summary>
    public string Log => _log.ToString();

    private readonly System.Text.StringBuilder _log = new();

    private static SshdServer StartWithRetries(string directory, List<string> config, SshPrivateKey hostKey)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var configFile = Path.Combine(directory, "sshd_config");
            File.WriteAllLines(configFile, [$"Port {port}", .. config]);
            var check = OpenSsh.Run(OpenSsh.Sshd, ["-t", "-f", configFile]);
            if (check.ExitCode != 0)
            {
                throw new InvalidOperationException($"sshd -t refused the test config: {check.StandardError}");
            }
            var info = new ProcessStartInfo(OpenSsh.Sshd) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[] { "-D", "-e", "-f", configFile })
            {
                info.ArgumentList.Add(argument);
            }
            var process = Process.Start(info)!;
            var server = new SshdServer(directory, port, process, hostKey);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (server._log)
                    {
                        server._log.AppendLine(e.Data);
                    }
                }
            };
            process.BeginErrorReadLine();
            if (WaitForPort(port, process))
            {
                return server;
            }
            process.Kill();
            process.WaitForExit();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"sshd did not start: {server.Log}");
            }
        }
    }

    private static bool WaitForPort(int port, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        return false;
    }

    private static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
