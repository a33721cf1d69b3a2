using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Host.Tests.Support;

/// <summary>
/// A real sshd whose trust beacon-host manages: its config includes ROOT/etc/ssh/sshd_config.d/50-beacon.conf
/// first (so the drop-in's TrustedUserCAKeys, RevokedKeys and AuthorizedPrincipalsFile win), beacon-host is
/// bootstrapped against a server with sshd -t on that config and a reload by SIGHUP.
/// </summary>
public sealed class ManagedHost : IDisposable
{
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(20);

    private ManagedHost(HostRoot root, SshdServer sshd)
    {
        Root = root;
        Sshd = sshd;
    }

    public HostRoot Root { get; }

    public SshdServer Sshd { get; }

    /// <summary>Starts sshd and bootstraps beacon-host against <paramref name="serverUrl"/> with the bundle key given.</summary>
    public static ManagedHost Start(string serverUrl, string fingerprint, string bundleKeyArmored, IReadOnlyList<string> groups, SshdOptions? options = null,
        Func<HostRoot, IEnumerable<string>>? leadingConfig = null)
    {
        var root = new HostRoot();
        try
        {
            var sshd = SshdServer.Start((options ?? new SshdOptions()) with
            {
                // StrictModes refuses files below /tmp (a world-writable parent); on a real host they sit in /etc/ssh.
                LeadingConfig = [$"Include {root.Paths.DropInFile}", "StrictModes no", .. leadingConfig?.Invoke(root) ?? []],
            });
            var host = new ManagedHost(root, sshd);
            var keyFile = root.Directory.Write("bundle-key.asc", bundleKeyArmored);
            List<string> args = ["bootstrap", "--server", serverUrl, "--fingerprint", fingerprint, "--bundle-key", keyFile,
                "--sshd-config", sshd.ConfigFile, "--reload-command", $"kill -HUP $(cat {sshd.PidFile})"];
            if (groups.Count > 0)
            {
                args.AddRange(["--groups", string.Join(',', groups)]);
            }
            var bootstrap = root.Run([.. args]);
            Assert.True(bootstrap.ExitCode == 0, bootstrap.ToString());
            return host;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>Runs a command that reloads sshd when it changes files, and waits until sshd listens again if it did.</summary>
    public ProcessResult RunAndAwaitReload(params string[] args)
    {
        var from = Sshd.Log.Length;
        var result = Root.Run(args);
        var reloaded = args[0] == "sync" ? Root.State().LastOutcome == "installed" : result.StandardOutput.Contains("reloaded", StringComparison.Ordinal);
        if (result.ExitCode == 0 && reloaded)
        {
            Assert.True(Sshd.WaitForLog($"Server listening on {Sshd.Address} port {Sshd.Port}.", from, ReloadTimeout), Sshd.Log);
        }
        return result;
    }

    /// <summary>A first sync, then install (the drop-in), each checked and followed by sshd's reload.</summary>
    public void SyncAndInstall()
    {
        var sync = RunAndAwaitReload("sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var install = RunAndAwaitReload("install");
        Assert.True(install.ExitCode == 0, install.ToString());
    }

    public ProcessResult Login(SshPrivateKey key, SshCertificate certificate, string user = "root") =>
        SshLogin.WithKey(Sshd, user, key, certificate, "echo in");

    public void Dispose()
    {
        Sshd.Dispose();
        Root.Dispose();
    }
}
