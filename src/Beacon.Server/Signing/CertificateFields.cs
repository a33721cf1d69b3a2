namespace Beacon.Server.Signing;

/// <summary>Validation of the free-text fields of a certificate request: key id and principals.</summary>
public static class CertificateFields
{
    /// <summary>Sanity bound, not in the spec: OpenSSH's own limit on principals (SSHKEY_CERT_MAX_PRINCIPALS).</summary>
    public const int MaxPrincipals = 256;

    /// <summary>Sanity bound, not in the spec: the length of a key id or a principal.</summary>
    public const int MaxLength = 1024;

    /// <summary>Validates a key id: not empty, no control characters.</summary>
    /// <exception cref="FormatException">Empty, too long, or holding a control character.</exception>
    public static string ValidateKeyId(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        if (keyId.Trim().Length == 0)
        {
            throw new FormatException("key id: empty");
        }
        if (keyId.Length > MaxLength)
        {
            throw new FormatException($"key id: longer than {MaxLength} characters");
        }
        // sshd logs the key id; a newline or escape in it would forge or hide log lines.
        if (keyId.Any(char.IsControl))
        {
            throw new FormatException("key id: control characters are not allowed");
        }
        return keyId;
    }

    /// <summary>Splits and validates a comma-separated principal list.</summary>
    /// <exception cref="FormatException">No principals, an empty one, one with whitespace or a control character, a repeat, or too many.</exception>
    public static IReadOnlyList<string> ParsePrincipals(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        // An empty principal list means "any principal" to sshd (Vault CVE-2024-7594): never issue one.
        if (list.Trim().Length == 0)
        {
            throw new FormatException("principals: none given; a certificate without principals would be valid for every account");
        }
        var principals = list.Split(',');
        if (principals.Length > MaxPrincipals)
        {
            throw new FormatException($"principals: more than {MaxPrincipals}");
        }
        foreach (var principal in principals)
        {
            if (principal.Length == 0)
            {
                throw new FormatException("principals: an empty principal (check for a doubled or trailing comma)");
            }
            if (principal.Length > MaxLength || principal.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new FormatException($"principals: \"{Printable(principal)}\" holds whitespace or a control character, or is too long");
            }
        }
        if (principals.Distinct(StringComparer.Ordinal).Count() != principals.Length)
        {
            throw new FormatException("principals: a principal is listed twice");
        }
        return principals;
    }

    private static string Printable(string value)
    {
        var printable = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return printable.Length > 64 ? printable[..64] + "…" : printable;
    }
}
