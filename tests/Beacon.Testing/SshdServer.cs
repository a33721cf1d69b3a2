using System.Diagnostics;
using System.Text;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;

namespace Beacon.Testing;

/// <summary>
/// A real OpenSSH sshd running as root in the foreground on 127.0.0.1, with its own config file and
/// trust files in a temporary directory. sshd reads TrustedUserCAKeys, RevokedKeys and principals
/// files on every connection, so tests can rewrite them between connects. Dispose stops it.
/// </summary>
public sealed class SshdServer : IDisposable
{
    private const string PrivilegeSeparationDirectory = "/run/sshd";
    private const int StartAttempts = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _directory;
    private readonly Process _process;
    private readonly StringBuilder _log;

    private SshdServer(TempDirectory directory, Process process, StringBuilder log, int port, SshPublicKey hostPublicKey)
    {
        _directory = directory;
        _process = process;
        _log = log;
        Port = port;
        HostPublicKey = hostPublicKey;
    }

    public int Port { get; }

    /// <summary>The address it listens on: always loopback.</summary>
    public string Address => "127.0.0.1";

    /// <summary>The plain host key (without its certificate).</summary>
    public SshPublicKey HostPublicKey { get; }

    /// <summary>The directory holding the config and trust files.</summary>
    public string Directory => _directory.Path;

    public string ConfigFile => _directory.File("sshd_config");

    /// <summary>The file sshd writes its process id to (for a reload by SIGHUP).</summary>
    public string PidFile => _directory.File("sshd.pid");

    public string TrustedUserCaKeysFile => _directory.File("trusted_user_ca_keys");

    public string RevokedKeysFile => _directory.File("revoked_keys");

    /// <summary>The directory holding one principals file per account (for the File and Command modes).</summary>
    public string PrincipalsDirectory => _directory.File("principals");

    /// <summary>A known_hosts line that trusts this server's plain host key on its port.</summary>
    public string KnownHostsLine => $"[{Address}]:{Port} {HostPublicKey.ToOpenSshString()}";

    /// <summary>What sshd has logged so far (it runs with -e at LogLevel VERBOSE).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Waits until what sshd logged after character <paramref name="from"/> of <see cref="Log"/>
    /// contains <paramref name="text"/>. A connection's log lines can arrive just after the client exits.
    /// Take <c>Log.Length</c> before connecting as <paramref name="from"/>.
    /// </summary>
    public bool WaitForLog(string text, int from, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        do
        {
            lock (_log)
            {
                if (_log.Length > from && _log.ToString(from, _log.Length - from).Contains(text, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            Thread.Sleep(10);
        }
        while (deadline.Elapsed < timeout);
        return false;
    }

    /// <summary>Writes the files, checks the config with sshd -t, starts sshd and waits until it listens.</summary>
    /// <exception cref="InvalidOperationException">sshd refused the config or did not start; the message holds its output.</exception>
    public static SshdServer Start(SshdOptions? options = null)
    {
        options ??= new SshdOptions();
        System.IO.Directory.CreateDirectory(PrivilegeSeparationDirectory,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var directory = new TempDirectory("beacon-sshd-");
        try
        {
            // The Command mode runs cat as nobody, who must be able to reach the principals files.
            File.SetUnixFileMode(directory.Path, DirectoryMode);
            var hostKey = options.HostKey;
            using var generated = hostKey is null ? SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519) : null;
            hostKey ??= generated!;
            directory.WritePrivate("host_key", OpenSshPrivateKeyFile.Write(hostKey, "beacon test host key"));
            if (options.HostCertificate is { } certificate)
            {
                directory.Write("host_key-cert.pub", certificate.ToOpenSshString() + "\n");
            }
            System.IO.Directory.CreateDirectory(directory.File("principals"), DirectoryMode);
            WriteAtomically(directory.File("trusted_user_ca_keys"), CaKeysText(options.TrustedUserCaKeys));
            if (options.RevokedKeys is { } krl)
            {
                WriteAtomically(directory.File("revoked_keys"), krl);
            }
            else
            {
                WriteEmptyKrl(directory.File("revoked_keys"));
            }

            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Next();
                File.WriteAllText(directory.File("sshd_config"), Config(directory, options, port));
                var check = OpenSsh.Run(OpenSsh.Sshd, ["-t", "-f", directory.File("sshd_config")]);
                if (check.ExitCode != 0)
                {
                    throw new InvalidOperationException($"sshd -t refused the test config:\n{check}");
                }
                var log = new StringBuilder();
                var process = Launch(directory.File("sshd_config"), log);
                if (WaitUntilListening(process, log, port))
                {
                    return new SshdServer(directory, process, log, port, hostKey.PublicKey);
                }
                Stop(process);
                string output;
                lock (log)
                {
                    output = log.ToString();
                }
                if (attempt == StartAttempts || !output.Contains("Address already in use", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"sshd did not start listening on 127.0.0.1:{port}:\n{output}");
                }
            }
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Replaces TrustedUserCAKeys with these keys, one per line.</summary>
    public void SetTrustedUserCaKeys(params SshPublicKey[] keys) => WriteAtomically(TrustedUserCaKeysFile, CaKeysText(keys));

    /// <summary>Replaces TrustedUserCAKeys with this exact text.</summary>
    public void SetTrustedUserCaKeysText(string text) => WriteAtomically(TrustedUserCaKeysFile, text);

    /// <summary>Replaces RevokedKeys with this KRL.</summary>
    public void SetRevokedKeys(byte[] krl) => WriteAtomically(RevokedKeysFile, krl);

    /// <summary>Replaces RevokedKeys with an empty KRL made by ssh-keygen.</summary>
    public void ClearRevokedKeys() => WriteEmptyKrl(RevokedKeysFile);

    /// <summary>Sets the principals that may log in as <paramref name="account"/> (File and Command modes).</summary>
    public void SetPrincipals(string account, params string[] principals)
    {
        var text = principals.Length == 0 ? "" : string.Join('\n', principals) + "\n";
        WriteAtomically(Path.Combine(PrincipalsDirectory, account), text);
    }

    /// <summary>Removes the principals file of <paramref name="account"/>, so no certificate may log in to it.</summary>
    public void RemovePrincipals(string account) => File.Delete(Path.Combine(PrincipalsDirectory, account));

    public void Dispose()
    {
        Stop(_process);
        _directory.Dispose();
    }

    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static string Config(TempDirectory directory, SshdOptions options, int port)
    {
        var lines = new List<string>(options.LeadingConfig)
        {
            "ListenAddress 127.0.0.1",
            $"Port {port}",
            $"HostKey {directory.File("host_key")}",
            $"PidFile {directory.File("sshd.pid")}",
            $"TrustedUserCAKeys {directory.File("trusted_user_ca_keys")}",
            $"RevokedKeys {directory.File("revoked_keys")}",
            "AuthorizedKeysFile none",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "HostbasedAuthentication no",
            "UsePAM no",
            "PermitRootLogin prohibit-password",
            "PrintMotd no",
            "LogLevel VERBOSE",
            // Tests in parallel classes connect at once; the default 10:30:100 drops bursts.
            "MaxStartups 100",
        };
        if (options.HostCertificate is not null)
        {
            lines.Add($"HostCertificate {directory.File("host_key-cert.pub")}");
        }
        switch (options.Principals)
        {
            case SshdPrincipals.File:
                lines.Add($"AuthorizedPrincipalsFile {directory.File("principals")}/%u");
                lines.Add("StrictModes no");
                break;
            case SshdPrincipals.Command:
                lines.Add($"AuthorizedPrincipalsCommand /bin/cat {directory.File("principals")}/%u");
                lines.Add("AuthorizedPrincipalsCommandUser nobody");
                break;
        }
        lines.AddRange(options.ExtraConfig);
        return string.Join('\n', lines) + "\n";
    }

    private static Process Launch(string config, StringBuilder log)
    {
        var info = new ProcessStartInfo(OpenSsh.Sshd)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-D", "-e", "-f", config })
        {
            info.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = info };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static bool WaitUntilListening(Process process, StringBuilder log, int port)
    {
        var ready = $"Server listening on 127.0.0.1 port {port}.";
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            lock (log)
            {
                if (log.ToString().Contains(ready, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            if (process.HasExited)
            {
                // Let the output readers drain what the process wrote before it died.
                process.WaitForExit();
                return false;
            }
            Thread.Sleep(10);
        }
        return false;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }

    private static string CaKeysText(IEnumerable<SshPublicKey> keys) =>
        string.Concat(keys.Select(k => k.ToOpenSshString() + "\n"));

    private static void WriteEmptyKrl(string path)
    {
        var temporary = path + ".new";
        File.Delete(temporary);
        var result = OpenSsh.Keygen("-q", "-k", "-f", temporary);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-keygen -k could not write an empty KRL:\n{result}");
        }
        File.Move(temporary, path, overwrite: true);
    }

    // sshd may read a file at any moment; a rename means it sees the old file or the new one, never half.
    private static void WriteAtomically(string path, string text) => WriteAtomically(path, Encoding.UTF8.GetBytes(text));

    private static void WriteAtomically(string path, byte[] content)
    {
        var temporary = path + ".new";
        File.WriteAllBytes(temporary, content);
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(temporary, path, overwrite: true);
    }
}
