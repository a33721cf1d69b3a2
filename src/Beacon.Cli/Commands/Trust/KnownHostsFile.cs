using Beacon.Cli.Settings;
using Beacon.Ssh;
using Beacon.Ssh.Trust;

namespace Beacon.Cli.Commands.Trust;

/// <summary>
/// Puts one @cert-authority line into a known_hosts file: lines for the same CA key are replaced by it,
/// every other line is kept as it was, and nothing is written when the file already says exactly this.
/// </summary>
internal static class KnownHostsFile
{
    /// <summary>Sanity bound: a known_hosts file larger than this is refused rather than rewritten.</summary>
    private const long MaxLength = 16 * 1024 * 1024;

    /// <summary>Returns false when the file already held exactly this line and nothing else for the key.</summary>
    /// <exception cref="CliException">The file is unreadable, too large or unwritable.</exception>
    public static bool Apply(string path, KnownHostsCertAuthority authority)
    {
        var line = authority.ToLine();
        var lines = Read(path);
        var sameKey = lines.Where(l => IsLineFor(l, authority)).ToList();
        if (sameKey.Count == 1 && sameKey[0].Trim() == line)
        {
            return false;
        }
        var kept = lines.Where(l => !IsLineFor(l, authority)).ToList();
        kept.Add(line);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            PrivateFiles.EnsureDirectory(directory);
        }
        var mode = File.Exists(path) ? File.GetUnixFileMode(path) : PrivateFiles.Private;
        PrivateFiles.WriteAtomically(path, string.Join('\n', kept) + "\n", mode);
        return true;
    }

    private static List<string> Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return [];
            }
            if (info.Length > MaxLength)
            {
                throw new CliException($"{path}: larger than {MaxLength} bytes; not rewriting it");
            }
            var text = File.ReadAllText(path);
            var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            if (lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }
            return lines;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}");
        }
    }

    private static bool IsLineFor(string line, KnownHostsCertAuthority authority)
    {
        if (!line.TrimStart().StartsWith(KnownHostsCertAuthority.Marker, StringComparison.Ordinal))
        {
            return false;
        }
        try
        {
            return KnownHostsCertAuthority.Parse(line).Key.Equals(authority.Key);
        }
        catch (SshFormatException)
        {
            return false;
        }
    }
}
