using Beacon.Ssh;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Ca;

/// <summary>Reads a one-key .pub file as ssh-keygen writes it.</summary>
public static class PublicKeyFile
{
    /// <summary>Sanity bound: a .pub file is one line.</summary>
    public const int MaxLength = SshPublicKeyParser.MaxLineLength;

    /// <summary>Returns the key and its comment.</summary>
    /// <exception cref="CaException">Missing, too large, more than one key, malformed, a certificate, or a DSA key.</exception>
    public static (SshPublicKey Key, string? Comment) Read(string path)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxLength)
            {
                throw new CaException($"{path}: larger than {MaxLength} bytes, so not a public key");
            }
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CaException($"{path}: no such file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CaException($"{path}: permission denied");
        }
        catch (IOException e)
        {
            throw new CaException($"{path}: {e.Message}");
        }
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').ToList();
        if (lines.Count != 1)
        {
            throw new CaException(lines.Count == 0 ? $"{path}: no public key in the file" : $"{path}: {lines.Count} lines; expected one public key");
        }
        try
        {
            var key = SshPublicKeyParser.ParseLine(lines[0], out var comment);
            return (key, comment);
        }
        catch (SshFormatException e)
        {
            throw new CaException($"{path}: {e.Message}", e);
        }
    }
}
