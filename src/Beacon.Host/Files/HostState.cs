namespace Beacon.Host.Files;

/// <summary>R/var/lib/beacon-host/state.json: what is installed and how the last sync went.</summary>
public sealed record HostState
{
    /// <summary>The installed bundle version: a lower one is refused as a rollback.</summary>
    public long? BundleVersion { get; init; }

    public string? BundleEtag { get; init; }

    /// <summary>The installed KRL's version: a lower one is refused too (it would un-revoke).</summary>
    public ulong? KrlVersion { get; init; }

    public string? KrlEtag { get; init; }

    public DateTimeOffset? LastSync { get; init; }

    /// <summary>installed, unchanged, or "failed: why".</summary>
    public string? LastOutcome { get; init; }

    public DateTimeOffset? LastSuccess { get; init; }

    /// <exception cref="HostException">The file is unreadable or invalid.</exception>
    public static HostState Load(HostPaths paths) => HostJson.Read<HostState>(paths.StateFile) ?? new HostState();

    public void Save(HostPaths paths) => HostJson.Write(paths.StateFile, this, FileModes.Private);
}
