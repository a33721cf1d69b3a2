using System.Security.Cryptography;
using System.Text;
using Beacon.Server.Ca;
using Beacon.Server.Hosting;
using Beacon.Server.Keys;
using Beacon.Trust.OpenPgp;

namespace Beacon.Server.Trust;

/// <summary>
/// The server-held bundle-signing key on disk: its private half in DATA/ca/bundle.key.enc
/// (<see cref="EncryptedKeyFile"/> under the CA password, mode 0600) and its public half, armored, in
/// DATA/bundle-key.asc (mode 0644), which the operator copies to every host at provisioning.
/// </summary>
public static class BundleSigningKeyFiles
{
    public const string UserId = "beacon trust bundle signing key";

    public static string PrivateKeyPath(DataDirectory data) => Path.Combine(data.CaDirectory, "bundle.key.enc");

    public static string PublicKeyPath(DataDirectory data) => Path.Combine(data.Root, "bundle-key.asc");

    /// <summary>Generates an Ed25519 OpenPGP key and writes both files; nothing is overwritten.</summary>
    /// <exception cref="CaException">A file exists already or cannot be written.</exception>
    public static OpenPgpSigningKey Create(DataDirectory data, ReadOnlySpan<byte> password, DateTimeOffset now, int iterations = EncryptedKeyFile.DefaultIterations)
    {
        var key = OpenPgpSigningKey.Generate(UserId, now);
        var exported = key.Export();
        var written = new List<string>();
        try
        {
            var encrypted = EncryptedKeyFile.EncryptBytes(exported, password, iterations);
            NewKeyFile.Write(PrivateKeyPath(data), encrypted, NewKeyFile.Private, written);
            NewKeyFile.Write(PublicKeyPath(data), Encoding.UTF8.GetBytes(key.ExportPublicArmored()),
                NewKeyFile.Public, written);
            return key;
        }
        catch (Exception e)
        {
            key.Dispose();
            written.ForEach(File.Delete);
            throw e is IOException or UnauthorizedAccessException ? new CaException($"cannot write the bundle-signing key in {data.Root}: {e.Message}", e) : e;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(exported);
        }
    }

    /// <summary>Decrypts the key and checks DATA/bundle-key.asc is its public half.</summary>
    /// <exception cref="CaException">Missing, a wrong password, a corrupted file, or a public file of another key.</exception>
    public static OpenPgpSigningKey Load(DataDirectory data, ReadOnlySpan<byte> password)
    {
        var path = PrivateKeyPath(data);
        var file = EncryptedKeyPair.ReadEncrypted(path, "no bundle-signing key here");
        byte[] exported;
        try
        {
            exported = EncryptedKeyFile.DecryptBytes(file, password);
        }
        catch (EncryptedKeyFileException e)
        {
            throw new CaException($"{path}: {e.Message}", e);
        }
        OpenPgpSigningKey key;
        try
        {
            key = OpenPgpSigningKey.Import(exported);
        }
        catch (OpenPgpFormatException e)
        {
            throw new CaException($"{path}: {e.Message}", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(exported);
        }
        var publicPath = PublicKeyPath(data);
        try
        {
            // Hosts pin the .asc: a swapped one would make every bundle fail at every host, or trust a key the server never uses.
            if (File.Exists(publicPath) && OpenPgpPublicKey.Parse(File.ReadAllBytes(publicPath)).Fingerprint != key.PublicKey.Fingerprint)
            {
                throw new CaException($"{publicPath}: not the public half of {path}");
            }
        }
        catch (Exception e) when (e is OpenPgpFormatException or IOException or UnauthorizedAccessException)
        {
            key.Dispose();
            throw new CaException($"{publicPath}: {e.Message}", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
        return key;
    }

    /// <summary>Loads the key, or creates it when the data directory predates it (no private file).</summary>
    /// <exception cref="CaException">As <see cref="Load"/> and <see cref="Create"/>.</exception>
    public static OpenPgpSigningKey LoadOrCreate(DataDirectory data, ReadOnlySpan<byte> password, DateTimeOffset now, out bool created)
    {
        created = !File.Exists(PrivateKeyPath(data)) && !File.Exists(PublicKeyPath(data));
        return created ? Create(data, password, now) : Load(data, password);
    }
}
