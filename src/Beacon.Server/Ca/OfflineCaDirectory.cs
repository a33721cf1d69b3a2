using System.Security.Cryptography;
using Beacon.Server.Keys;
using Beacon.Ssh;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Ca;

/// <summary>
/// The operator's break-glass CA directory: a user CA and a host CA, each as a public key file
/// (user_ca.pub, host_ca.pub) and a password-encrypted private key (user_ca.key.enc, host_ca.key.enc;
/// see <see cref="EncryptedKeyFile"/>). The directory is mode 0700 and the key files 0600.
/// </summary>
public sealed class OfflineCaDirectory(string path)
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicFileMode = PrivateFileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public string Path { get; } = path;

    public string PublicKeyPath(CaKind kind) => System.IO.Path.Combine(Path, kind == CaKind.User ? "user_ca.pub" : "host_ca.pub");

    public string PrivateKeyPath(CaKind kind) => System.IO.Path.Combine(Path, kind == CaKind.User ? "user_ca.key.enc" : "host_ca.key.enc");

    /// <summary>Creates both CAs. Nothing is overwritten: if any CA file exists, nothing is written.</summary>
    /// <returns>The user CA's and the host CA's public keys.</returns>
    /// <exception cref="CaException">A CA file exists already, or the directory cannot be written.</exception>
    public (SshPublicKey User, SshPublicKey Host) Initialize(CaKeySpec spec, ReadOnlySpan<byte> password, int iterations = EncryptedKeyFile.DefaultIterations)
    {
        var files = new[] { CaKind.User, CaKind.Host }.SelectMany(k => new[] { PublicKeyPath(k), PrivateKeyPath(k) }).ToList();
        // Overwriting a CA would silently orphan every certificate and trust file made from it.
        if (files.FirstOrDefault(File.Exists) is { } existing)
        {
            throw new CaException($"{existing} already exists; refusing to overwrite a CA");
        }
        try
        {
            Directory.CreateDirectory(Path, DirectoryMode);
            File.SetUnixFileMode(Path, DirectoryMode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaException($"{Path}: cannot create the directory: {e.Message}");
        }

        var written = new List<string>();
        try
        {
            var user = Create(CaKind.User, spec, password, iterations, written);
            var host = Create(CaKind.Host, spec, password, iterations, written);
            return (user, host);
        }
        catch (Exception e)
        {
            foreach (var file in written)
            {
                File.Delete(file);
            }
            if (e is IOException or UnauthorizedAccessException)
            {
                throw new CaException($"{Path}: cannot write the CA: {e.Message}", e);
            }
            throw;
        }
    }

    /// <summary>Reads a CA's public key.</summary>
    /// <exception cref="CaException">Missing or malformed.</exception>
    public SshPublicKey LoadPublicKey(CaKind kind)
    {
        var path = PublicKeyPath(kind);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CaException($"{path}: no {kind.ToString().ToLowerInvariant()} CA here (run beacon-server ca init first)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaException($"{path}: {e.Message}");
        }
        try
        {
            return SshPublicKeyParser.ParseLine(text.Trim());
        }
        catch (SshFormatException e)
        {
            throw new CaException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Decrypts a CA's private key and checks it is the one its public key file names.</summary>
    /// <exception cref="CaException">Missing, a wrong password, a corrupted file, or a private key that does not match the public one.</exception>
    public SshPrivateKey LoadPrivateKey(CaKind kind, ReadOnlySpan<byte> password)
    {
        var expected = LoadPublicKey(kind);
        var path = PrivateKeyPath(kind);
        byte[] file;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > EncryptedKeyFile.MaxFileLength)
            {
                throw new CaException($"{path}: {EncryptedKeyFile.FailureMessage}");
            }
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CaException($"{path}: no {kind.ToString().ToLowerInvariant()} CA private key here");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaException($"{path}: {e.Message}");
        }
        SshPrivateKey key;
        try
        {
            key = EncryptedKeyFile.Decrypt(file, password);
        }
        catch (EncryptedKeyFileException e)
        {
            throw new CaException($"{path}: {e.Message}", e);
        }
        // A swapped .pub would make hosts trust one key while certificates come from another.
        if (!key.PublicKey.Equals(expected))
        {
            key.Dispose();
            throw new CaException($"{path}: does not match {PublicKeyPath(kind)}");
        }
        return key;
    }

    private SshPublicKey Create(CaKind kind, CaKeySpec spec, ReadOnlySpan<byte> password, int iterations, List<string> written)
    {
        using var key = spec.Generate();
        var comment = $"beacon {kind.ToString().ToLowerInvariant()} CA";
        var encrypted = EncryptedKeyFile.Encrypt(key, password, comment, iterations);
        WriteNew(PrivateKeyPath(kind), encrypted, PrivateFileMode, written);
        WriteNew(PublicKeyPath(kind), System.Text.Encoding.UTF8.GetBytes(key.PublicKey.ToOpenSshString(comment) + "\n"), PublicFileMode, written);
        CryptographicOperations.ZeroMemory(encrypted);
        return key.PublicKey;
    }

    private static void WriteNew(string path, byte[] content, UnixFileMode mode, List<string> written)
    {
        // CreateNew fails if the file appeared since the check: no race can make us overwrite a CA.
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
        });
        written.Add(path);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }
}
