using System.Security.Cryptography;
using System.Text;
using Beacon.Server.Ca;
using Beacon.Server.Keys;
using Beacon.Ssh;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Revocation;

/// <summary>
/// The revocation key on disk, beside the CA keys and under the same password: CA_DIR/revocation.pub and
/// CA_DIR/revocation.key.enc (<see cref="EncryptedKeyFile"/>, mode 0600).
/// </summary>
public static class RevocationKeyFiles
{
    public static string PublicKeyPath(string caDirectory) => Path.Combine(caDirectory, "revocation.pub");

    public static string PrivateKeyPath(string caDirectory) => Path.Combine(caDirectory, "revocation.key.enc");

    public static bool Exists(string caDirectory) => File.Exists(PrivateKeyPath(caDirectory));

    /// <summary>Generates an Ed25519 revocation key and writes both files; nothing is overwritten.</summary>
    /// <exception cref="CaException">A file exists already or cannot be written.</exception>
    public static RevocationKey Create(string caDirectory, ReadOnlySpan<byte> password, int iterations = EncryptedKeyFile.DefaultIterations)
    {
        var key = Ed25519PrivateKey.Generate();
        var encrypted = EncryptedKeyFile.Encrypt(key, password, RevocationKey.Identity, iterations);
        var written = new List<string>();
        try
        {
            NewKeyFile.Write(PrivateKeyPath(caDirectory), encrypted, NewKeyFile.Private, written);
            NewKeyFile.Write(PublicKeyPath(caDirectory), Encoding.UTF8.GetBytes(key.PublicKey.ToOpenSshString(RevocationKey.Identity) + "\n"),
                NewKeyFile.Public, written);
            return new RevocationKey(key);
        }
        catch (Exception e)
        {
            key.Dispose();
            written.ForEach(File.Delete);
            throw e is IOException or UnauthorizedAccessException ? new CaException($"cannot write the revocation key in {caDirectory}: {e.Message}", e) : e;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encrypted);
        }
    }

    /// <summary>Decrypts the revocation key and checks it matches its .pub.</summary>
    /// <exception cref="CaException">Missing files, a wrong password, a corrupted file or a mismatched .pub.</exception>
    public static RevocationKey Load(string caDirectory, ReadOnlySpan<byte> password)
    {
        var (expected, _) = PublicKeyFile.Read(PublicKeyPath(caDirectory));
        return new RevocationKey(EncryptedKeyPair.Load(PrivateKeyPath(caDirectory), expected, PublicKeyPath(caDirectory), password, "no revocation key here"));
    }

    /// <summary>
    /// Loads the key, or creates it when the data directory predates revocation keys (neither file exists).
    /// A lone .pub or .key.enc is an error, never silently replaced.
    /// </summary>
    /// <exception cref="CaException">As <see cref="Load"/> and <see cref="Create"/>.</exception>
    public static RevocationKey LoadOrCreate(string caDirectory, ReadOnlySpan<byte> password, out bool created)
    {
        created = !File.Exists(PrivateKeyPath(caDirectory)) && !File.Exists(PublicKeyPath(caDirectory));
        return created ? Create(caDirectory, password) : Load(caDirectory, password);
    }
}
