using System.Text;
using Beacon.Ssh.Certificates;

namespace Beacon.Cli.Commands.Inspect;

/// <summary>The text form, laid out as ssh-keygen -L lays out a certificate.</summary>
internal static class InspectTextReport
{
    private const string Indent = "        ";
    private const string ListIndent = "                ";

    public static string Format(string name, InspectedItem item)
    {
        var text = new StringBuilder();
        text.Append(KeyDisplay.Safe(name)).Append(":\n");
        switch (item)
        {
            case InspectedCertificate c:
                AppendCertificate(text, c);
                break;
            case InspectedPublicKey k:
                Line(text, "Type", $"{k.Key.KeyType} public key");
                Line(text, "Public key", $"{KeyDisplay.Family(k.Key.KeyType)} {k.Key.Fingerprint}");
                Line(text, "Size", $"{k.Key.SizeInBits} bits");
                Line(text, "Comment", k.Comment is null ? "(none)" : KeyDisplay.Safe(k.Comment));
                break;
            case InspectedPrivateKey p:
                Line(text, "Type", $"{p.PublicKey.KeyType} private key (openssh-key-v1)");
                Line(text, "Encrypted", p.Encrypted
                    ? $"yes ({KeyDisplay.Safe(p.Cipher)}, {KeyDisplay.Safe(p.Kdf)}); only its public half is shown"
                    : "no");
                Line(text, "Public key", $"{KeyDisplay.Family(p.PublicKey.KeyType)} {p.PublicKey.Fingerprint}");
                Line(text, "Size", $"{p.PublicKey.SizeInBits} bits");
                if (!p.Encrypted)
                {
                    Line(text, "Comment", string.IsNullOrEmpty(p.Comment) ? "(none)" : KeyDisplay.Safe(p.Comment));
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(item));
        }
        return text.ToString();
    }

    private static void AppendCertificate(StringBuilder text, InspectedCertificate item)
    {
        var c = item.Certificate;
        Line(text, "Type", $"{c.CertificateType} {KeyDisplay.CertificateKind(c.Type)} certificate");
        Line(text, "Public key", $"{KeyDisplay.Family(c.PublicKey.KeyType)}-CERT {c.PublicKey.Fingerprint}");
        Line(text, "Signing CA", $"{KeyDisplay.Family(c.SignatureKey.KeyType)} {c.SignatureKey.Fingerprint} (using {KeyDisplay.Safe(c.Signature.Algorithm)})");
        Line(text, "Key ID", $"\"{KeyDisplay.Safe(c.KeyId)}\"");
        Line(text, "Serial", c.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Line(text, "Valid", KeyDisplay.Validity(c));
        List(text, "Principals", c.Principals.Select(KeyDisplay.Safe));
        List(text, "Critical Options", c.CriticalOptions.Select(Option));
        List(text, "Extensions", c.Extensions.Select(Option));
    }

    private static string Option(SshCertificateOption option)
    {
        var value = KeyDisplay.OptionValue(option);
        return value.Length == 0 ? KeyDisplay.Safe(option.Name) : $"{KeyDisplay.Safe(option.Name)} {KeyDisplay.Safe(value)}";
    }

    private static void Line(StringBuilder text, string label, string value) =>
        text.Append(Indent).Append(label).Append(": ").Append(value).Append('\n');

    private static void List(StringBuilder text, string label, IEnumerable<string> values)
    {
        var items = values.ToList();
        if (items.Count == 0)
        {
            Line(text, label, "(none)");
            return;
        }
        text.Append(Indent).Append(label).Append(":\n");
        foreach (var value in items)
        {
            text.Append(ListIndent).Append(value).Append('\n');
        }
    }
}
