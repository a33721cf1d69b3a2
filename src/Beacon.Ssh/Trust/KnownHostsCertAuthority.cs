using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Trust;

/// <summary>
/// A known_hosts line that trusts a host CA: "@cert-authority PATTERNS KEY [comment]" (sshd(8),
/// SSH_KNOWN_HOSTS FILE FORMAT). ssh accepts a host certificate signed by <see cref="Key"/> for any
/// host name matching <see cref="Patterns"/>. Immutable; the constructor validates every part so a
/// formatted line always means exactly what its parts say.
/// </summary>
public sealed class KnownHostsCertAuthority
{
    /// <summary>The marker that starts the line; OpenSSH compares it case-sensitively.</summary>
    public const string Marker = "@cert-authority";

    /// <summary>Sanity bound, not in the spec: host patterns on one line.</summary>
    public const int MaxPatterns = 256;

    /// <summary>Sanity bound, not in the spec: the length of one pattern (a DNS name is at most 253).</summary>
    public const int MaxPatternLength = 1024;

    /// <summary>Validates and keeps the parts of the line.</summary>
    /// <exception cref="SshFormatException">A pattern is empty or holds whitespace or a comma, there are no patterns, or the comment holds a line break.</exception>
    public KnownHostsCertAuthority(IEnumerable<string> patterns, SshPublicKey key, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(key);
        var list = patterns.ToList();
        if (list.Count == 0)
        {
            throw new SshFormatException("@cert-authority patterns: none given");
        }
        if (list.Count > MaxPatterns)
        {
            throw new SshFormatException($"@cert-authority patterns: more than {MaxPatterns}");
        }
        foreach (var pattern in list)
        {
            ValidatePattern(pattern);
        }
        TrustLineText.ValidateComment(comment, "@cert-authority comment");
        Patterns = list;
        Key = key;
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
    }

    /// <summary>Host name patterns as ssh matches them: wildcards * and ?, negation with a leading !.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>The host CA's public key.</summary>
    public SshPublicKey Key { get; }

    public string? Comment { get; }

    /// <summary>The known_hosts line, without a line ending.</summary>
    public string ToLine() => $"{Marker} {string.Join(',', Patterns)} {Key.ToOpenSshString(Comment)}";

    public override string ToString() => ToLine();

    /// <summary>Parses one "@cert-authority PATTERNS KEY [comment]" line.</summary>
    /// <exception cref="SshFormatException">Another marker or none, bad patterns, or a malformed key (a certificate is not a CA key).</exception>
    public static KnownHostsCertAuthority Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length > SshPublicKeyParser.MaxLineLength)
        {
            throw new SshFormatException($"known_hosts line: longer than {SshPublicKeyParser.MaxLineLength} characters");
        }
        var parts = line.Trim().Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || parts[0] != Marker)
        {
            throw new SshFormatException($"known_hosts line: expected \"{Marker} PATTERNS KEY [comment]\"");
        }
        var key = SshPublicKeyParser.ParseLine(parts[2], out var comment);
        return new KnownHostsCertAuthority(ParsePatterns(parts[1]), key, comment);
    }

    /// <summary>Splits a comma-separated pattern list and validates each pattern.</summary>
    /// <exception cref="SshFormatException">An empty pattern (as in "a,,b" or a trailing comma) or one with whitespace.</exception>
    public static IReadOnlyList<string> ParsePatterns(string patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var list = patterns.Split(',');
        if (list.Length > MaxPatterns)
        {
            throw new SshFormatException($"@cert-authority patterns: more than {MaxPatterns}");
        }
        foreach (var pattern in list)
        {
            ValidatePattern(pattern);
        }
        return list;
    }

    private static void ValidatePattern(string pattern)
    {
        if (pattern is null || pattern.Length == 0 || pattern == "!")
        {
            throw new SshFormatException("@cert-authority pattern: empty");
        }
        if (pattern.Length > MaxPatternLength)
        {
            throw new SshFormatException($"@cert-authority pattern: longer than {MaxPatternLength} characters");
        }
        foreach (var c in pattern)
        {
            // Whitespace or a comma would split the pattern list differently when ssh reads it back,
            // and a line break would let a host name inject a second, attacker-chosen trust line.
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == ',')
            {
                throw new SshFormatException($"@cert-authority pattern \"{SshPublicKeyParser.Quote(TrustLineText.Printable(pattern))}\": whitespace, control characters and commas are not allowed");
            }
        }
    }
}
