using System.Text;

namespace Beacon.Server.Ca;

/// <summary>Reads a password from a file: its first line, without the line ending.</summary>
public static class PasswordFile
{
    /// <summary>Sanity bound: a password file is one short line.</summary>
    public const int MaxLength = 4096;

    /// <summary>Returns the password as UTF-8 bytes; the caller should zero them when done.</summary>
    /// <exception cref="CaException">Missing, unreadable, too long, or an empty first line.</exception>
    public static byte[] Read(string path)
    {
        string text;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            if (stream.Length > MaxLength)
            {
                throw new CaException($"{path}: a password file is at most {MaxLength} bytes");
            }
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CaException($"{path}: no such password file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CaException($"{path}: permission denied");
        }
        catch (IOException e)
        {
            throw new CaException($"{path}: {e.Message}");
        }
        var newline = text.IndexOf('\n');
        var line = (newline < 0 ? text : text[..newline]).TrimEnd('\r');
        // An empty password would leave the CA keys protected by nothing but the file mode.
        if (line.Length == 0)
        {
            throw new CaException($"{path}: the password (the file's first line) is empty");
        }
        return Encoding.UTF8.GetBytes(line);
    }
}
