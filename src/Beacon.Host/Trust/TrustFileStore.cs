using Beacon.Host.Files;
using Beacon.Trust.Bundle;

namespace Beacon.Host.Trust;

/// <summary>
/// A directory holding a <see cref="TrustFileSet"/>: the live one sshd reads (R/etc/ssh/beacon) or the
/// last good copy (R/var/lib/beacon-host/last-good). Every write is atomic; principals files that are no
/// longer wanted are removed.
/// </summary>
public sealed class TrustFileStore(string directory)
{
    public string Directory { get; } = directory;

    public string TrustedUserCaKeysFile => Path.Combine(Directory, HostPaths.TrustedUserCaKeysName);

    public string RevokedKeysFile => Path.Combine(Directory, HostPaths.RevokedKeysName);

    public string PrincipalsDirectory => Path.Combine(Directory, HostPaths.PrincipalsName);

    /// <summary>Whether both CA keys and KRL are present (principals may legitimately be none).</summary>
    public bool IsComplete => File.Exists(TrustedUserCaKeysFile) && File.Exists(RevokedKeysFile);

    /// <summary>The files as they are, or null when incomplete.</summary>
    public TrustFileSet? Read()
    {
        if (!IsComplete)
        {
            return null;
        }
        var principals = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var account in PrincipalAccounts())
        {
            principals[account] = AtomicFile.ReadBounded(Path.Combine(PrincipalsDirectory, account)) ?? [];
        }
        return new TrustFileSet(
            AtomicFile.ReadBounded(TrustedUserCaKeysFile) ?? [],
            AtomicFile.ReadBounded(RevokedKeysFile, Beacon.Client.BeaconClient.MaxKrlBytes) ?? [],
            principals);
    }

    /// <summary>Whether the files on disk are exactly <paramref name="files"/>.</summary>
    public bool Matches(TrustFileSet files)
    {
        if (!SameBytes(TrustedUserCaKeysFile, files.TrustedUserCaKeys) || !SameBytes(RevokedKeysFile, files.RevokedKeys))
        {
            return false;
        }
        var present = PrincipalAccounts().ToHashSet(StringComparer.Ordinal);
        return present.SetEquals(files.Principals.Keys)
            && files.Principals.All(p => SameBytes(Path.Combine(PrincipalsDirectory, p.Key), p.Value));
    }

    /// <summary>Makes the directory hold exactly <paramref name="files"/>.</summary>
    public void Write(TrustFileSet files)
    {
        AtomicFile.EnsureDirectory(Directory);
        AtomicFile.EnsureDirectory(PrincipalsDirectory);
        AtomicFile.WriteIfChanged(TrustedUserCaKeysFile, files.TrustedUserCaKeys, FileModes.Public);
        AtomicFile.WriteIfChanged(RevokedKeysFile, files.RevokedKeys, FileModes.Public);
        foreach (var (account, content) in files.Principals)
        {
            AtomicFile.WriteIfChanged(Path.Combine(PrincipalsDirectory, account), content, FileModes.Public);
        }
        foreach (var stale in PrincipalAccounts().Where(a => !files.Principals.ContainsKey(a)).ToList())
        {
            AtomicFile.Delete(Path.Combine(PrincipalsDirectory, stale));
        }
    }

    /// <summary>Removes every managed file (a first install that failed has nothing to go back to).</summary>
    public void Clear()
    {
        AtomicFile.Delete(TrustedUserCaKeysFile);
        AtomicFile.Delete(RevokedKeysFile);
        foreach (var account in PrincipalAccounts().ToList())
        {
            AtomicFile.Delete(Path.Combine(PrincipalsDirectory, account));
        }
    }

    /// <summary>The accounts with a principals file; only names a bundle could have produced (never our temporary files).</summary>
    private IEnumerable<string> PrincipalAccounts() =>
        System.IO.Directory.Exists(PrincipalsDirectory)
            ? System.IO.Directory.EnumerateFiles(PrincipalsDirectory).Select(Path.GetFileName).OfType<string>()
                .Where(TrustBundleDocument.IsValidName).Order(StringComparer.Ordinal)
            : [];

    private static bool SameBytes(string path, byte[] expected) =>
        File.Exists(path) && new FileInfo(path).Length == expected.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(expected);
}
