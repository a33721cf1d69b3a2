using Beacon.CommandLine;
using System.CommandLine;
using Beacon.Ssh;

namespace Beacon.Cli.Commands.Inspect;

/// <summary>
/// beacon inspect FILE: prints a certificate's, public key's or private key's fields the way
/// ssh-keygen -L does, or as one JSON object with --json.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("FILE")
        {
            Description = "A certificate (*-cert.pub), a public key (*.pub) or an openssh-key-v1 private key (an encrypted one shows its public half only); - reads standard input.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object (snake_case names, serial as a string) instead of text.",
        };
        var command = new Command("inspect", "Print the fields of an OpenSSH certificate or key like ssh-keygen -L (times in UTC, ISO 8601).")
        {
            file,
            json,
        };
        command.SetAction(parse => CommandLineRunner.Guard(BeaconCli.Name, console.Error,
            () => Execute(parse.GetRequiredValue(file), parse.GetValue(json), console)));
        return command;
    }

    private static int Execute(string path, bool json, CliConsole console)
    {
        var (name, text) = InspectInput.Read(path, console.In);
        InspectedItem item;
        try
        {
            item = InspectedItemReader.Read(text);
        }
        catch (SshFormatException e)
        {
            throw new CliException($"{name}: {e.Message}");
        }
        console.Out.Write(json ? InspectJsonReport.Format(item) : InspectTextReport.Format(name, item));
        return ExitCodes.Ok;
    }
}
