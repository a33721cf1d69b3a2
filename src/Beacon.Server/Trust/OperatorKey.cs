using Beacon.Trust.OpenPgp;

namespace Beacon.Server.Trust;

/// <summary>The operator's OpenPGP public key (Beacon:Trust:OperatorKeyFile) that offline bundle signatures must verify with.</summary>
public static class OperatorKey
{
    /// <summary>Sanity bound: an armored RSA-4096 public key with a few user IDs is a few KiB.</summary>
    public const int MaxFileLength = 256 * 1024;

    /// <summary>Reads and parses the key file.</summary>
    /// <exception cref="InvalidOperationException">Not configured, missing, too large, or not an OpenPGP public key; the message says which.</exception>
    public static OpenPgpPublicKey Load(TrustOptions options)
    {
        if (string.IsNullOrEmpty(options.OperatorKeyFile))
        {
            throw new InvalidOperationException("Beacon:Trust:OperatorKeyFile is not set: offline signing needs the operator's public key");
        }
        var path = options.OperatorKeyFile;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new InvalidOperationException($"{path}: no such file (Beacon:Trust:OperatorKeyFile)");
            }
            if (info.Length > MaxFileLength)
            {
                throw new InvalidOperationException($"{path}: larger than {MaxFileLength} bytes, so not a public key");
            }
            return OpenPgpPublicKey.Parse(File.ReadAllBytes(path));
        }
        catch (OpenPgpFormatException e)
        {
            throw new InvalidOperationException($"{path}: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{path}: {e.Message}", e);
        }
    }
}
