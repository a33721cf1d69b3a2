using Beacon.Host.Files;

namespace Beacon.Host.Commands.Install;

/// <summary>
/// The text of what `install` writes: the sshd_config drop-in naming the managed files, and the systemd
/// units (or cron lines) that run sync and renew. deploy/ holds the same units for --root /.
/// </summary>
internal static class InstallFiles
{
    public const string DefaultBinary = "/usr/local/bin/beacon-host";
    public const string SyncService = "beacon-host-sync.service";
    public const string SyncTimer = "beacon-host-sync.timer";
    public const string RenewService = "beacon-host-renew.service";
    public const string RenewTimer = "beacon-host-renew.timer";

    public static string DropIn(HostPaths paths, IEnumerable<string> hostCertificates)
    {
        var lines = new List<string>
        {
            "# Written by beacon-host install; rewritten by it, do not edit.",
            "# sshd keeps the first value of each keyword: sshd_config must Include this file before setting them.",
            $"TrustedUserCAKeys {Quote(paths.TrustedUserCaKeysFile)}",
            $"RevokedKeys {Quote(paths.RevokedKeysFile)}",
            // Only the accounts the bundle maps to this host's groups have a file; for every other account
            // sshd refuses all certificates, so a certificate for another host group never logs in here.
            $"AuthorizedPrincipalsFile {Quote(Path.Combine(paths.PrincipalsDirectory, "%u"))}",
        };
        lines.AddRange(hostCertificates.Select(c => $"HostCertificate {Quote(c)}"));
        return string.Join('\n', lines) + "\n";
    }

    public static string SyncServiceUnit(string binary, HostPaths paths) => $"""
        [Unit]
        Description=BeaconSSH: sync sshd's trust (user CA keys, KRL, principals) from the signed bundle
        After=network-online.target
        Wants=network-online.target

        [Service]
        Type=oneshot
        ExecStart={binary} sync{RootArgument(paths)}
        NoNewPrivileges=yes
        PrivateTmp=yes
        ProtectHome=yes
        ProtectSystem=strict
        ReadWritePaths={ReadWritePaths(paths)}

        """;

    public static string SyncTimerUnit() => """
        [Unit]
        Description=BeaconSSH: sync sshd's trust every 5 minutes

        [Timer]
        OnBootSec=1min
        OnUnitActiveSec=5min
        RandomizedDelaySec=60

        [Install]
        WantedBy=timers.target

        """;

    public static string RenewServiceUnit(string binary, HostPaths paths) => $"""
        [Unit]
        Description=BeaconSSH: renew the host certificates when they have less than 7 days left
        After=network-online.target
        Wants=network-online.target

        [Service]
        Type=oneshot
        ExecStart={binary} renew --if-expiring-within 7d{RootArgument(paths)}
        NoNewPrivileges=yes
        PrivateTmp=yes
        ProtectHome=yes
        ProtectSystem=strict
        ReadWritePaths={ReadWritePaths(paths)}

        """;

    public static string RenewTimerUnit() => """
        [Unit]
        Description=BeaconSSH: check the host certificates daily

        [Timer]
        OnCalendar=daily
        RandomizedDelaySec=1h
        Persistent=true

        [Install]
        WantedBy=timers.target

        """;

    /// <summary>The cron alternative to the timers (/etc/cron.d format: minute hour day month weekday user command).</summary>
    public static string Cron(string binary, HostPaths paths) =>
        "# Written by beacon-host install --cron: the alternative to the systemd timers.\n"
        + $"*/5 * * * * root {binary} sync{RootArgument(paths)}\n"
        + $"17 3 * * * root {binary} renew --if-expiring-within 7d{RootArgument(paths)}\n";

    private static string RootArgument(HostPaths paths) => paths.Root == "/" ? "" : $" --root {paths.Root}";

    private static string ReadWritePaths(HostPaths paths) =>
        string.Join(' ', new[] { paths.SshDirectory, paths.ConfigDirectory, paths.StateDirectory });

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
