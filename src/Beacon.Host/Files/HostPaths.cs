namespace Beacon.Host.Files;

/// <summary>
/// Every file beacon-host reads or writes, under the root directory (--root, default /). The files it
/// writes name these mapped paths, so an sshd started on R/etc/ssh/sshd_config reads what we wrote
/// (docs/trust-protocol.md, "beacon-host's files").
/// </summary>
public sealed class HostPaths
{
    public HostPaths(string root)
    {
        Root = Path.GetFullPath(string.IsNullOrEmpty(root) ? "/" : root);
    }

    public string Root { get; }

    /// <summary>An absolute path as it would be on the host, moved under <see cref="Root"/>.</summary>
    public string Map(string hostPath) => Path.Combine(Root, hostPath.TrimStart('/'));

    public string ConfigDirectory => Map("/etc/beacon-host");

    public string ConfigFile => Path.Combine(ConfigDirectory, "config.json");

    public string BundleKeyFile => Path.Combine(ConfigDirectory, "bundle-key.asc");

    /// <summary>Opt-in telemetry settings (`beacon-host telemetry on|off|status`); absent means off.</summary>
    public string TelemetrySettingsFile => Path.Combine(ConfigDirectory, "telemetry.json");

    public string StateDirectory => Map("/var/lib/beacon-host");

    public string StateFile => Path.Combine(StateDirectory, "state.json");

    /// <summary>The verified bundle bytes as downloaded, and their signature: re-verified at every sync.</summary>
    public string InstalledBundleFile => Path.Combine(StateDirectory, "bundle.json");

    public string InstalledBundleSignatureFile => Path.Combine(StateDirectory, "bundle.json.asc");

    public string LastGoodDirectory => Path.Combine(StateDirectory, "last-good");

    public string LockFile => Path.Combine(StateDirectory, "lock");

    public string SshDirectory => Map("/etc/ssh");

    public string TrustDirectory => Map("/etc/ssh/beacon");

    public string TrustedUserCaKeysFile => Path.Combine(TrustDirectory, TrustedUserCaKeysName);

    public string RevokedKeysFile => Path.Combine(TrustDirectory, RevokedKeysName);

    public string PrincipalsDirectory => Path.Combine(TrustDirectory, PrincipalsName);

    public string DefaultSshdConfig => Map("/etc/ssh/sshd_config");

    public string DropInFile => Map("/etc/ssh/sshd_config.d/50-beacon.conf");

    public string SystemdDirectory => Map("/etc/systemd/system");

    public string CronFile => Map("/etc/cron.d/beacon-host");

    public const string TrustedUserCaKeysName = "trusted_user_ca_keys";
    public const string RevokedKeysName = "revoked_keys";
    public const string PrincipalsName = "principals";
}
