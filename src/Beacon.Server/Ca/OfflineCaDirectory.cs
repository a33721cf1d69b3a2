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
    public SshPrivateKey LoadPrivateKey(CaKind kind, ReadOnlySpan<byte> password) =>
        EncryptedKeyPair.Load(PrivateKeyPath(kind), LoadPublicKey(kind), PublicKeyPath(kind), password,
            $"no {kind.ToString().ToLowerInvariant()} CA private key here");

    private SshPublicKey Create(CaKind kind, CaKeySpec spec, ReadOnlySpan<byte> password, int iterations, List<string> written)
    {
        using var key = spec.Generate();
        var comment = $"beacon {kind.ToString().ToLowerInvariant()} CA";
        var encrypted = EncryptedKeyFile.Encrypt(key, password, comment, iterations);
        NewKeyFile.Write(PrivateKeyPath(kind), encrypted, NewKeyFile.Private, written);
        NewKeyFile.Write(PublicKeyPath(kind), System.Text.Encoding.UTF8.GetBytes(key.PublicKey.ToOpenSshString(comment) + "\n"), NewKeyFile.Public, written);
        CryptographicOperations.ZeroMemory(encrypted);
        return key.PublicKey;
    }
}
