using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Trust;

/// <summary>One CA key in a TrustedUserCAKeys file, with its optional comment.</summary>
public sealed record TrustedCaKey
{
    /// <exception cref="SshFormatException">The comment holds a line break.</exception>
    public TrustedCaKey(SshPublicKey key, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        TrustLineText.ValidateComment(comment, "TrustedUserCAKeys comment");
        Key = key;
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
    }

    public SshPublicKey Key { get; }

    public string? Comment { get; }

    /// <summary>The line, without a line ending.</summary>
    public string ToLine() => Key.ToOpenSshString(Comment);
}

/// <summary>
/// The file sshd's TrustedUserCAKeys names (sshd_config(5)): one public key per line, with blank lines
/// and lines starting with # allowed. Certificates signed by any key listed are accepted for users.
/// </summary>
public static class TrustedUserCaKeys
{
    /// <summary>Sanity bound, not in the spec: the largest file we read.</summary>
    public const int MaxFileLength = 1024 * 1024;

    /// <summary>Sanity bound, not in the spec: keys in one file (a rotation needs two or three).</summary>
    public const int MaxKeys = 256;

    /// <summary>Parses the file's text.</summary>
    /// <exception cref="SshFormatException">A malformed line (named by number), a certificate or DSA key, or a file beyond the bounds.</exception>
    public static IReadOnlyList<TrustedCaKey> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxFileLength)
        {
            throw new SshFormatException($"TrustedUserCAKeys: longer than {MaxFileLength} characters");
        }
        var keys = new List<TrustedCaKey>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (keys.Count == MaxKeys)
            {
                throw new SshFormatException($"TrustedUserCAKeys: more than {MaxKeys} keys");
            }
            try
            {
                var key = SshPublicKeyParser.ParseLine(line, out var comment);
                keys.Add(new TrustedCaKey(key, comment));
            }
            catch (SshFormatException e)
            {
                throw new SshFormatException($"TrustedUserCAKeys line {lineNumber}: {e.Message}", e);
            }
        }
        return keys;
    }

    /// <summary>Formats the file: optional comment lines (each prefixed "# "), then one key per line, each ending with a newline. No keys makes a file that trusts no CA.</summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxKeys"/>, or a header line with a line break.</exception>
    public static string Format(IEnumerable<TrustedCaKey> keys, IEnumerable<string>? headerComments = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var list = keys.ToList();
        if (list.Count > MaxKeys)
        {
            throw new ArgumentException($"a TrustedUserCAKeys file lists at most {MaxKeys} keys, not {list.Count}", nameof(keys));
        }
        var text = new System.Text.StringBuilder();
        foreach (var header in headerComments ?? [])
        {
            if (header.Contains('\n') || header.Contains('\r'))
            {
                throw new ArgumentException("a header comment must be one line", nameof(headerComments));
            }
            text.Append("# ").Append(header).Append('\n');
        }
        foreach (var key in list)
        {
            text.Append(key.ToLine()).Append('\n');
        }
        return text.ToString();
    }
}
