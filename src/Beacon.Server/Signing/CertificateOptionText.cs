using Beacon.Ssh.Certificates;

namespace Beacon.Server.Signing;

/// <summary>
/// Parses critical options and extensions as an operator writes them: "force-command=CMD",
/// "source-address=CIDRS", "verify-required"; an extension by name.
/// </summary>
public static class CertificateOptionText
{
    /// <summary>The extensions OpenSSH defines (PROTOCOL.certkeys); others must be vendor names with an '@'.</summary>
    public static IReadOnlyList<string> KnownExtensions { get; } =
    [
        SshCertificateOptions.PermitX11Forwarding,
        SshCertificateOptions.PermitAgentForwarding,
        SshCertificateOptions.PermitPortForwarding,
        SshCertificateOptions.PermitPty,
        SshCertificateOptions.PermitUserRc,
        SshCertificateOptions.NoTouchRequired,
    ];

    /// <summary>Parses the --critical values.</summary>
    /// <exception cref="FormatException">An unknown option, a missing or malformed value, or an option given twice.</exception>
    public static IReadOnlyList<SshCertificateOption> ParseCritical(IEnumerable<string> values)
    {
        var options = new List<SshCertificateOption>();
        foreach (var text in values)
        {
            var equals = text.IndexOf('=');
            var name = equals < 0 ? text : text[..equals];
            var value = equals < 0 ? null : text[(equals + 1)..];
            var option = name switch
            {
                SshCertificateOptions.ForceCommand => SshCertificateOption.WithValue(name, ValidateCommand(value)),
                SshCertificateOptions.SourceAddress => SshCertificateOption.WithValue(name, SourceAddressList.Validate(
                    value ?? throw new FormatException("source-address: give it as source-address=CIDR[,CIDR...]"))),
                SshCertificateOptions.VerifyRequired when value is null => SshCertificateOption.Flag(name),
                SshCertificateOptions.VerifyRequired => throw new FormatException("verify-required: takes no value"),
                // sshd refuses a certificate with a critical option it does not know, so an unknown one is a mistake.
                _ => throw new FormatException($"critical option \"{name}\" is unknown; known: force-command=CMD, source-address=CIDRS, verify-required"),
            };
            if (options.Any(o => o.Name == name))
            {
                throw new FormatException($"critical option \"{name}\" is given twice");
            }
            options.Add(option);
        }
        return options;
    }

    /// <summary>Parses the --extension values.</summary>
    /// <exception cref="FormatException">An unknown name without '@', a malformed name, or a name given twice.</exception>
    public static IReadOnlyList<SshCertificateOption> ParseExtensions(IEnumerable<string> names)
    {
        var options = new List<SshCertificateOption>();
        foreach (var name in names)
        {
            if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '='))
            {
                throw new FormatException($"extension \"{name}\": a name without whitespace, control characters or '='");
            }
            if (!KnownExtensions.Contains(name) && !name.Contains('@'))
            {
                throw new FormatException($"extension \"{name}\" is unknown; known: {string.Join(", ", KnownExtensions)}, or a vendor name with '@'");
            }
            if (options.Any(o => o.Name == name))
            {
                throw new FormatException($"extension \"{name}\" is given twice");
            }
            options.Add(SshCertificateOption.Flag(name));
        }
        return options;
    }

    private static string ValidateCommand(string? command)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new FormatException("force-command: give it as force-command=COMMAND");
        }
        if (command.Any(c => char.IsControl(c) && c != '\t'))
        {
            throw new FormatException("force-command: control characters are not allowed");
        }
        return command;
    }
}
