using Beacon.CommandLine;
using System.CommandLine;
using System.CommandLine.Help;
using Beacon.Server.Cli;
using Beacon.Server.Commands.Audit;
using Beacon.Server.Commands.Bundle;
using Beacon.Server.Commands.Ca;
using Beacon.Server.Commands.Certs;
using Beacon.Server.Commands.Hosts;
using Beacon.Server.Commands.Init;
using Beacon.Server.Commands.Policies;
using Beacon.Server.Commands.Run;
using Beacon.Server.Commands.Token;
using Beacon.Server.Commands.Users;

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
        new(Name, $"BeaconSSH certificate server: CA, policy, audit and trust publication; and the operator's offline break-glass CA.\n{ExitCodes.HelpText}")
        {
            new HelpOption(),
            new VersionOption(),
            InitCommand.Create(),
            RunCommand.Create(),
            new Command("token", "One-time tokens for the token identity provider") { TokenCreateCommand.Create() },
            HostCommands.TokenCommand(),
            HostCommands.HostCommand(),
            new Command("audit", "The audit log") { AuditVerifyCommand.Create() },
            UserCommands.Create(),
            CertCommands.Create(),
            PolicyCommands.Create(),
            CaCommand.Create(console),
            BundleCommands.Create(),
        };
}
