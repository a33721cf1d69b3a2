using Beacon.Host.Files;
using Beacon.Testing;

namespace Beacon.Host.Tests.Support;

/// <summary>A throwaway --root for beacon-host, run in process with captured streams.</summary>
public sealed class HostRoot : IDisposable
{
    public TempDirectory Directory { get; } = new("beacon-host-root-");

    public HostPaths Paths => new(Directory.Path);

    /// <summary>Runs `beacon-host ARGS --root ROOT` and returns what it did.</summary>
    public ProcessResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = BeaconHostCli.Run([.. args, "--root", Directory.Path], output, error);
        return new ProcessResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Every file beacon-host manages for sshd and keeps for rollback, by path relative to the root, with its bytes.</summary>
    public IReadOnlyDictionary<string, byte[]> TrustSnapshot()
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var directory in new[] { Paths.TrustDirectory, Paths.LastGoodDirectory })
        {
            if (!System.IO.Directory.Exists(directory))
            {
                continue;
            }
            foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                files[Path.GetRelativePath(Directory.Path, file)] = File.ReadAllBytes(file);
            }
        }
        return files;
    }

    public HostState State() => HostState.Load(Paths);

    public void Dispose() => Directory.Dispose();
}
