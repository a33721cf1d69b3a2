using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Beacon.Host.Files;

/// <summary>
/// Writes that sshd and a crash can only ever see whole: a temporary file in the same directory, fsync,
/// rename over the target, fsync of the directory so the rename itself survives a power cut.
/// </summary>
internal static partial class AtomicFile
{
    /// <summary>Sanity bound for a file beacon-host reads back (config, state, certificates, keys); the KRL has its own.</summary>
    public const int MaxSmallFileBytes = 1024 * 1024;

    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(path)!;
        EnsureDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = mode,
            }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.SetUnixFileMode(temporary, mode);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        SyncDirectory(directory);
    }

    public static void WriteText(string path, string text, UnixFileMode mode) => Write(path, System.Text.Encoding.UTF8.GetBytes(text), mode);

    /// <summary>Writes only when the content differs; returns whether it wrote.</summary>
    public static bool WriteIfChanged(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        if (File.Exists(path) && new FileInfo(path).Length == content.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
        {
            return false;
        }
        Write(path, content, mode);
        return true;
    }

    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            SyncDirectory(Path.GetDirectoryName(path)!);
        }
    }

    /// <summary>Reads a file no larger than <paramref name="maxBytes"/>, or null when it does not exist.</summary>
    /// <exception cref="HostException">Larger than allowed or unreadable.</exception>
    public static byte[]? ReadBounded(string path, int maxBytes = MaxSmallFileBytes)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > maxBytes)
            {
                throw new HostException($"{path}: {stream.Length} bytes, more than the {maxBytes} allowed");
            }
            var buffer = new byte[stream.Length];
            stream.ReadExactly(buffer);
            return buffer;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostException($"{path}: {e.Message}", e);
        }
    }

    public static void EnsureDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, FileModes.Directory);
        }
    }

    private static void SyncDirectory(string directory)
    {
        var fd = Open(directory, 0);
        if (fd < 0)
        {
            return;
        }
        _ = Fsync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
