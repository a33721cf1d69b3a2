namespace Beacon.Ssh.Trust;

/// <summary>Checks shared by the line-oriented trust files.</summary>
internal static class TrustLineText
{
    /// <summary>Refuses a comment that could end its line early.</summary>
    /// <exception cref="SshFormatException">The comment holds a line break or another control character.</exception>
    public static void ValidateComment(string? comment, string field)
    {
        if (comment is null)
        {
            return;
        }
        foreach (var c in comment)
        {
            // A line break in a comment would start a new line: a second trusted key nobody asked for.
            if (char.IsControl(c) && c != '\t')
            {
                throw new SshFormatException($"{field}: control characters and line breaks are not allowed");
            }
        }
    }

    /// <summary>The value with control characters shown as '?', for error messages.</summary>
    public static string Printable(string value) =>
        string.Create(value.Length, value, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
}
