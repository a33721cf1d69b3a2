using Beacon.CommandLine;
using System.CommandLine;
using System.Globalization;
using Beacon.Server.Ca;
using Beacon.Server.Cli;
using Beacon.Server.Signing;
using Beacon.Ssh.Certificates;

namespace Beacon.Server.Commands.Ca.Sign;

/// <summary>beacon-server ca sign: signs one OpenSSH certificate with the offline CA.</summary>
internal static class CaSignCommand
{
    /// <summary>The longest certificate the break-glass CA issues.</summary>
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(366);

    public static Command Create(CliConsole console)
    {
        var o = new CaSignOptions();
        var command = new Command("sign", "Sign an OpenSSH certificate for a public key with the offline user or host CA. " +
            "It is written beside the key as KEY-cert.pub (like ssh-keygen) unless --out is given. " +
            $"valid-after is back-dated by {(int)CaSignRequest.ClockSkew.TotalSeconds}s for clock skew. User certificates get ssh-keygen's default extensions " +
            "(permit-X11-forwarding, permit-agent-forwarding, permit-port-forwarding, permit-pty, permit-user-rc) unless --extension or --no-extensions is given; " +
            "host certificates get none.");
        o.AddTo(command);
        command.SetAction(parse => CommandRunner.Guard(BeaconServerCli.Name, console, () => Execute(o.Read(parse), console)));
        return command;
    }

    private static int Execute(CaSignRequest request, CliConsole console)
    {
        var certificate = CaSigner.Sign(request, console.Clock, out var outputPath);
        var kind = certificate.Type == SshCertificateType.User ? "user" : "host";
        var validity = $"from {Iso(certificate.ValidAfter)} to {Iso(certificate.ValidBefore)}";
        console.Out.WriteLine($"Signed {kind} certificate {outputPath}: id \"{certificate.KeyId}\" serial {certificate.Serial} " +
            $"for {string.Join(',', certificate.Principals)} valid {validity}");
        return ExitCodes.Ok;
    }

    private static string Iso(ulong unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)unixSeconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
