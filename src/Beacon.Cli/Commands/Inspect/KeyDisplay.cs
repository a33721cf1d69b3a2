using System.Globalization;
using System.Text;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Cli.Commands.Inspect;

/// <summary>Shared wording for keys and certificates, as ssh-keygen words them but in UTC.</summary>
internal static class KeyDisplay
{
    /// <summary>The short family name ssh-keygen prints: ED25519, ECDSA, RSA.</summary>
    public static string Family(string keyType) => keyType switch
    {
        SshKeyTypes.Ed25519 => "ED25519",
        SshKeyTypes.Rsa => "RSA",
        _ when keyType.StartsWith("ecdsa-", StringComparison.Ordinal) => "ECDSA",
        _ => keyType.ToUpperInvariant(),
    };

    /// <summary>ISO 8601 in UTC with a Z: no local time zone leaks into the output.</summary>
    public static string Time(ulong unixSeconds)
    {
        var max = (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds();
        var time = DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(unixSeconds, max));
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>The validity in ssh-keygen's words: forever, before X, after X, or from X to Y.</summary>
    public static string Validity(SshCertificate certificate) => (certificate.ValidAfter, certificate.ValidBefore) switch
    {
        (0, SshCertificate.Forever) => "forever",
        (0, var before) => $"before {Time(before)}",
        (var after, SshCertificate.Forever) => $"after {Time(after)}",
        (var after, var before) => $"from {Time(after)} to {Time(before)}",
    };

    public static string CertificateKind(SshCertificateType type) => type == SshCertificateType.User ? "user" : "host";

    /// <summary>An option's value as text: empty for a flag, the string for a string value, hex for anything else.</summary>
    public static string OptionValue(SshCertificateOption option) => option.Value ?? "0x" + Convert.ToHexString(option.Data.Span);

    /// <summary>
    /// Text safe to print on a terminal: control characters become \xNN escapes.
    /// </summary>
    public static string Safe(string value)
    {
        // A key id or principal chosen by a requester must not send escape sequences to the operator's terminal.
        if (!value.Any(char.IsControl))
        {
            return value;
        }
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
