using System.CommandLine;
using System.CommandLine.Help;
using Beacon.Server.Cli;
using Beacon.Server.Commands.Ca;

namespace Beacon.Server;

/// <summary>The beacon-server command line: builds the commands and runs one, returning the exit code.</summary>
public static class BeaconServerCli
{
    public const string Name = "beacon-server";

    /// <summary>Runs beacon-server with the given arguments, streams and clock; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider? clock = null)
    {
        var console = new CliConsole(stdout, stderr, clock ?? TimeProvider.System);
        return CommandRunner.Run(Name, BuildRoot(console), args, console);
    }

    internal static Command BuildRoot(CliConsole console) =>
        new(Name, $"BeaconSSH certificate server. For now: the operator's offline break-glass CA.\n{ExitCodes.HelpText}")
        {
            new HelpOption(),
            new VersionOption(),
            CaCommand.Create(console),
        };
}
