namespace Beacon.Server.Hosting;

/// <summary>The layout of a server data directory. Secrets live in 0600 files inside a 0700 directory.</summary>
public sealed class DataDirectory(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string ConfigFile => Path.Combine(Root, "beacon.json");

    public string SqliteDatabase => Path.Combine(Root, "beacon.db");

    public string CaDirectory => Path.Combine(Root, "ca");

    public string TlsCertificate => Path.Combine(Root, "tls", "server.crt");

    public string TlsKey => Path.Combine(Root, "tls", "server.key");

    public string SecretsDirectory => Path.Combine(Root, "secrets");

    public string DefaultPasswordFile => Path.Combine(SecretsDirectory, "ca-password");

    public string TokenHmacKey => Path.Combine(SecretsDirectory, "token-hmac.key");

    public string AuditLog => Path.Combine(Root, "audit.jsonl");

    public bool IsInitialised => File.Exists(ConfigFile);

    /// <summary>Creates a directory with mode 0700.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Writes a secret file with mode 0600 from the start (never briefly world-readable).</summary>
    public static void WritePrivateFile(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }
}
