using System.CommandLine;
using System.Globalization;
using Beacon.Server.Ca;
using Beacon.Server.Cli;
using Beacon.Server.Signing;
using Beacon.Ssh.Certificates;

namespace Beacon.Server.Commands.Ca.Sign;

/// <summary>The options of ca sign, defined once; malformed values are usage errors caught at parse time.</summary>
internal sealed class CaSignOptions
{
    public Option<string> Directory { get; } = CaOptions.Directory();

    public Option<string> PasswordFile { get; } = CaOptions.PasswordFile();

    public Option<bool> User { get; } = new("--user") { Description = "Sign a user certificate with the user CA." };

    public Option<bool> Host { get; } = new("--host") { Description = "Sign a host certificate with the host CA." };

    public Option<string> PublicKey { get; } = new("--public-key")
    {
        Description = "The public key to certify (Ed25519, ECDSA, or RSA of 2048 bits or more; not a certificate, not a CA key).",
        Required = true,
        HelpName = "KEY.pub",
    };

    public Option<string> Identity { get; } = new("--identity")
    {
        Description = "The key id: who the certificate is for; sshd logs it.",
        Required = true,
        HelpName = "ID",
        CustomParser = CommandRunner.Parser(CertificateFields.ValidateKeyId),
    };

    public Option<IReadOnlyList<string>> Principals { get; } = new("--principals")
    {
        Description = "Comma-separated principals: accounts for a user certificate, host names for a host certificate. Required: never empty.",
        Required = true,
        HelpName = "a,b",
        CustomParser = CommandRunner.Parser(CertificateFields.ParsePrincipals),
    };

    public Option<TimeSpan> Validity { get; } = new("--validity")
    {
        Description = "How long the certificate is valid from now: 30s, 15m, 8h, 7d, 2w or sums like 1h30m (at most 366d).",
        Required = true,
        HelpName = "DURATION",
        CustomParser = CommandRunner.Parser(text => DurationText.Parse(text, CaSignCommand.MaxValidity)),
    };

    public Option<ulong?> Serial { get; } = new("--serial")
    {
        Description = "The serial number, 1 to 18446744073709551615. Default: random 64-bit.",
        HelpName = "N",
        CustomParser = CommandRunner.Parser<ulong?>(ParseSerial),
    };

    public Option<IReadOnlyList<SshCertificateOption>> Critical { get; } = new("--critical")
    {
        Description = "A critical option for a user certificate, repeatable: force-command=CMD, source-address=CIDR[,CIDR...], verify-required.",
        HelpName = "OPTION",
        CustomParser = CommandRunner.ListParser(CertificateOptionText.ParseCritical),
    };

    public Option<IReadOnlyList<SshCertificateOption>> Extension { get; } = new("--extension")
    {
        Description = "An extension for a user certificate, repeatable; when given, exactly these replace the defaults. " +
            "Known: permit-X11-forwarding, permit-agent-forwarding, permit-port-forwarding, permit-pty, permit-user-rc, no-touch-required, or a vendor name with '@'.",
        HelpName = "NAME",
        CustomParser = CommandRunner.ListParser(CertificateOptionText.ParseExtensions),
    };

    public Option<bool> NoExtensions { get; } = new("--no-extensions")
    {
        Description = "Give a user certificate no extensions at all (no pty, no forwarding).",
    };

    public Option<string?> Out { get; } = new("--out")
    {
        Description = "Where to write the certificate. Default: KEY-cert.pub beside KEY.pub.",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Directory, PasswordFile, User, Host, PublicKey, Identity, Principals, Validity, Serial, Critical, Extension, NoExtensions, Out })
        {
            command.Options.Add(option);
        }
        command.Validators.Add(result =>
        {
            var user = result.GetValue(User);
            if (user == result.GetValue(Host))
            {
                result.AddError("give exactly one of --user or --host");
                return;
            }
            var hasOptions = result.GetResult(Critical) is not null || result.GetResult(Extension) is not null || result.GetValue(NoExtensions);
            if (!user && hasOptions)
            {
                result.AddError("--critical, --extension and --no-extensions apply to user certificates only");
            }
            if (result.GetResult(Extension) is not null && result.GetValue(NoExtensions))
            {
                result.AddError("give --extension or --no-extensions, not both");
            }
        });
    }

    public CaSignRequest Read(ParseResult parse)
    {
        var user = parse.GetValue(User);
        IReadOnlyList<SshCertificateOption>? extensions = parse.GetValue(NoExtensions) ? [] : parse.GetValue(Extension);
        return new CaSignRequest(
            Directory: new OfflineCaDirectory(parse.GetRequiredValue(Directory)),
            PasswordFile: parse.GetRequiredValue(PasswordFile),
            Kind: user ? CaKind.User : CaKind.Host,
            PublicKeyPath: parse.GetRequiredValue(PublicKey),
            KeyId: parse.GetRequiredValue(Identity),
            Principals: parse.GetRequiredValue(Principals),
            Validity: parse.GetValue(Validity),
            Serial: parse.GetValue(Serial),
            CriticalOptions: parse.GetValue(Critical) ?? [],
            Extensions: extensions,
            OutputPath: parse.GetValue(Out));
    }

    private static ulong? ParseSerial(string text)
    {
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
        {
            throw new FormatException($"--serial: \"{text}\" is not a number from 1 to {ulong.MaxValue}");
        }
        // A KRL cannot revoke serial 0, so a certificate with it could never be revoked by serial.
        if (serial == 0)
        {
            throw new FormatException("--serial: 0 cannot be revoked by serial in a KRL; use 1 or more");
        }
        return serial;
    }
}
