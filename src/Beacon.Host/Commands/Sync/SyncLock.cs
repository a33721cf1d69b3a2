using Beacon.Host.Files;

namespace Beacon.Host.Commands.Sync;

/// <summary>One sync at a time (a timer and an operator may start one together): an exclusive lock on var/lib/beacon-host/lock.</summary>
internal static class SyncLock
{
    /// <exception cref="HostException">Another beacon-host holds the lock.</exception>
    public static IDisposable Acquire(HostPaths paths)
    {
        AtomicFile.EnsureDirectory(paths.StateDirectory);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix; it goes with the process.
            return new FileStream(paths.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new HostException($"{paths.LockFile}: another beacon-host is running ({e.Message})", e);
        }
    }
}
