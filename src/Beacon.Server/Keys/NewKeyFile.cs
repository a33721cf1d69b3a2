namespace Beacon.Server.Keys;

/// <summary>Writes key files that must not exist yet: a key is never overwritten, and a half-made set can be removed.</summary>
public static class NewKeyFile
{
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode Public = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Creates <paramref name="path"/> with <paramref name="mode"/>, writes and flushes it to disk, and adds it to <paramref name="written"/>.</summary>
    public static void Write(string path, byte[] content, UnixFileMode mode, List<string> written)
    {
        // CreateNew fails if the file appeared since any check: no race can make us overwrite a key.
        using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode });
        written.Add(path);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }
}
