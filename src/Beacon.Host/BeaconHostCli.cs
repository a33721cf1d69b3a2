using System.CommandLine;
using System.CommandLine.Help;
using Beacon.CommandLine;
using Beacon.Host.Commands.Bootstrap;
using Beacon.Host.Commands.Enroll;
using Beacon.Host.Commands.Install;
using Beacon.Host.Commands.Renew;
using Beacon.Host.Commands.Status;
using Beacon.Host.Commands.Sync;

namespace Beacon.Host;

/// <summary>The beacon-host command line: builds the commands and runs one, returning the exit code.</summary>
public static class BeaconHostCli
{
    public const string Name = "beacon-host";

    public const string ExitCodeHelp =
        "Exit codes: 0 done (or nothing to do), 1 refused or failed (one line on stderr says what and why; the last good trust is kept), 2 usage error.";

    /// <summary>Runs beacon-host; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool isTerminal = false, TimeProvider? clock = null)
    {
        var console = new HostConsole(stdout, stderr, clock ?? TimeProvider.System, isTerminal);
        return CommandLineRunner.Run(Name, BuildRoot(console, Commands.Telemetry.HostTelemetry.RootOf(args)), args, console.Out, console.Error);
    }

    internal static Command BuildRoot(HostConsole console, string telemetryRoot = "/")
    {
        var root = new Command(Name, $"BeaconSSH host CLI: keeps sshd's trust (user CA keys, revocation list, principals) current from the signed bundle, and the host's certificates.\n{ExitCodeHelp}")
        {
            new HelpOption(),
            new VersionOption(),
            BootstrapCommand.Create(console),
            EnrollCommand.Create(console),
            RenewCommand.Create(console),
            SyncCommand.Create(console),
            StatusCommand.Create(console),
            InstallCommand.Create(console),
            Commands.Telemetry.HostTelemetry.Create(console, telemetryRoot),
        };
        // Every command's --help states the exit codes, not only the root's.
        foreach (var command in root.Subcommands)
        {
            command.Description = $"{command.Description}.\n{ExitCodeHelp}";
        }
        return root;
    }
}
