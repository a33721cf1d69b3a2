namespace Beacon.Host.Files;

/// <summary>
/// R/etc/beacon-host/config.json: written by bootstrap, completed by enroll. Paths in it are the mapped
/// paths (under --root); <see cref="Sshd"/> is a program, not mapped.
/// </summary>
public sealed record HostConfig
{
    public const string DefaultSshd = "/usr/sbin/sshd";
    public const string DefaultReloadCommand = "systemctl reload ssh";

    /// <summary>The server's base URL.</summary>
    public required string Server { get; init; }

    /// <summary>SHA-256 of the server's TLS certificate (64 hex digits): the only certificate accepted.</summary>
    public required string TlsFingerprint { get; init; }

    /// <summary>This host's groups: from enrollment, or --groups for a host that only syncs.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>The names enrolled as host certificate principals; the host name when empty.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>The host public key files (ssh_host_*_key.pub) certified at enrollment.</summary>
    public IReadOnlyList<string> HostKeys { get; init; } = [];

    /// <summary>The id the server gave this host at enrollment.</summary>
    public string? HostId { get; init; }

    public string Sshd { get; init; } = DefaultSshd;

    /// <summary>The sshd_config `sshd -t -f` checks.</summary>
    public required string SshdConfig { get; init; }

    /// <summary>A shell command (run with /bin/sh -c) that makes sshd re-read its configuration.</summary>
    public string ReloadCommand { get; init; } = DefaultReloadCommand;

    /// <exception cref="HostException">Missing (bootstrap first) or invalid.</exception>
    public static HostConfig Load(HostPaths paths) =>
        HostJson.Read<HostConfig>(paths.ConfigFile)
        ?? throw new HostException($"{paths.ConfigFile}: missing; run beacon-host bootstrap first");

    public void Save(HostPaths paths) => HostJson.Write(paths.ConfigFile, this, FileModes.Private);
}
