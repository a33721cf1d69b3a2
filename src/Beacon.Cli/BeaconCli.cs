using Beacon.CommandLine;
using System.CommandLine;
using System.CommandLine.Help;
using Beacon.Cli.Commands.Inspect;

namespace Beacon.Cli;

/// <summary>The beacon command line: builds the commands and runs one, returning the exit code.</summary>
public static class BeaconCli
{
    public const string Name = "beacon";

    /// <summary>Runs beacon with the given arguments and streams; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin)
    {
        var console = new CliConsole(stdout, stderr, stdin);
        return CommandLineRunner.Run(Name, BuildRoot(console), args, console.Out, console.Error);
    }

    internal static Command BuildRoot(CliConsole console)
    {
        var root = new Command(Name, $"BeaconSSH user CLI: short-lived OpenSSH certificates.\n{ExitCodes.HelpText}")
        {
            new HelpOption(),
            new VersionOption(),
            InspectCommand.Create(console),
            Commands.Telemetry.TelemetryCommand.Create(console),
        };
        return root;
    }
}
