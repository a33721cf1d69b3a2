using Beacon.Server.Keys;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Ca;

/// <summary>A password-encrypted private key file and the public key file that names it: loaded together, checked against each other.</summary>
public static class EncryptedKeyPair
{
    /// <summary>Decrypts the private key at <paramref name="privatePath"/> and checks it is <paramref name="expected"/>.</summary>
    /// <exception cref="CaException">Missing, unreadable, a wrong password, a corrupted file, or a key that does not match.</exception>
    public static SshPrivateKey Load(string privatePath, SshPublicKey expected, string publicPath, ReadOnlySpan<byte> password, string missingMessage)
    {
        var file = ReadEncrypted(privatePath, missingMessage);
        SshPrivateKey key;
        try
        {
            key = EncryptedKeyFile.Decrypt(file, password);
        }
        catch (EncryptedKeyFileException e)
        {
            throw new CaException($"{privatePath}: {e.Message}", e);
        }
        // A swapped .pub would make hosts trust (or pin) one key while signatures come from another.
        if (!key.PublicKey.Equals(expected))
        {
            key.Dispose();
            throw new CaException($"{privatePath}: does not match {publicPath}");
        }
        return key;
    }

    /// <summary>Reads an encrypted key file, refusing one larger than any key before reading it.</summary>
    /// <exception cref="CaException">Missing (<paramref name="missingMessage"/>), unreadable or too large.</exception>
    public static byte[] ReadEncrypted(string privatePath, string missingMessage)
    {
        try
        {
            var info = new FileInfo(privatePath);
            // Checked before reading: a huge file is not a key, and is not read into memory.
            if (info.Exists && info.Length > EncryptedKeyFile.MaxFileLength)
            {
                throw new CaException($"{privatePath}: {EncryptedKeyFile.FailureMessage}");
            }
            return File.ReadAllBytes(privatePath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CaException($"{privatePath}: {missingMessage}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaException($"{privatePath}: {e.Message}");
        }
    }
}
