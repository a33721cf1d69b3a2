namespace Beacon.Server.Identity;

/// <summary>
/// The RFC 8288 Link header as GitHub uses it for pagination:
/// <c>&lt;https://api.github.com/user/teams?page=2&gt;; rel="next", &lt;…?page=5&gt;; rel="last"</c>.
/// </summary>
public static class LinkHeader
{
    /// <summary>The target of the first link whose rel names <paramref name="relation"/>, or null when there is none or the header is malformed.</summary>
    public static string? Find(string? header, string relation)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }
        var rest = header.AsSpan();
        while (true)
        {
            var open = rest.IndexOf('<');
            if (open < 0)
            {
                return null;
            }
            rest = rest[(open + 1)..];
            var close = rest.IndexOf('>');
            if (close < 0)
            {
                return null;
            }
            var target = rest[..close];
            rest = rest[(close + 1)..];
            // The parameters run to the next link; a '<' cannot appear in them unquoted.
            var end = rest.IndexOf('<');
            var parameters = end < 0 ? rest : rest[..end];
            foreach (var parameter in parameters.ToString().Split(';', StringSplitOptions.TrimEntries))
            {
                var equals = parameter.IndexOf('=');
                if (equals < 0 || !parameter[..equals].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                var value = parameter[(equals + 1)..].Trim().TrimEnd(',').Trim().Trim('"');
                // rel may hold several space-separated relation types.
                if (value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(relation, StringComparer.OrdinalIgnoreCase))
                {
                    return target.ToString();
                }
            }
        }
    }
}
