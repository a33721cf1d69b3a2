namespace Beacon.Host.Trust;

/// <summary>What a successful sync did.</summary>
/// <param name="Installed">Files changed, sshd accepted and reloaded them.</param>
/// <param name="BundleVersion">The installed bundle version.</param>
/// <param name="KrlVersion">The installed KRL version.</param>
public sealed record SyncResult(bool Installed, long BundleVersion, ulong KrlVersion)
{
    public string Outcome => Installed ? "installed" : "unchanged";
}
