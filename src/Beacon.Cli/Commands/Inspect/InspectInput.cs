using System.Text;
using Beacon.Ssh.PrivateKeys;

namespace Beacon.Cli.Commands.Inspect;

/// <summary>Reads the file (or standard input) to inspect, refusing anything larger than a key file can be.</summary>
internal static class InspectInput
{
    /// <summary>Sanity bound: the largest openssh-key-v1 file we read is also larger than any certificate line.</summary>
    public const int MaxLength = OpenSshPrivateKeyFile.MaxFileLength;

    public const string StdinName = "(stdin)";

    /// <summary>Returns the name to show in messages and the text.</summary>
    /// <exception cref="CliException">Missing, unreadable, a directory, or too large.</exception>
    public static (string Name, string Text) Read(string path, TextReader stdin)
    {
        if (path == "-")
        {
            return (StdinName, ReadBounded(stdin, StdinName));
        }
        if (Directory.Exists(path))
        {
            throw new CliException($"{path}: is a directory");
        }
        try
        {
            using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
            return (path, ReadBounded(reader, path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"{path}: no such file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"{path}: permission denied");
        }
        catch (IOException e)
        {
            throw new CliException($"{path}: {e.Message}");
        }
    }

    private static string ReadBounded(TextReader reader, string name)
    {
        var buffer = new char[MaxLength + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = reader.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }
        if (total > MaxLength)
        {
            throw new CliException($"{name}: larger than {MaxLength} bytes, so not a key or certificate");
        }
        return new string(buffer, 0, total);
    }
}
