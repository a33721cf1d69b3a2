using Beacon.CommandLine;
using System.CommandLine;
using System.CommandLine.Help;
using Beacon.Cli.Commands.Cert;
using Beacon.Cli.Commands.Init;
using Beacon.Cli.Commands.Inspect;
using Beacon.Cli.Commands.Login;
using Beacon.Cli.Commands.Logout;
using Beacon.Cli.Commands.Ssh;
using Beacon.Cli.Commands.Status;
using Beacon.Cli.Commands.Trust;

namespace Beacon.Cli;

/// <summary>The beacon command line: builds the commands and runs one, returning the exit code.</summary>
public static class BeaconCli
{
    public const string Name = "beacon";

    /// <summary>Runs beacon with the given arguments and streams; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin) =>
        Run(args, new CliConsole(stdout, stderr, stdin));

    /// <summary>Runs beacon with a console of the caller's (streams, environment, clock).</summary>
    public static int Run(string[] args, CliConsole console)
    {
        // `beacon ssh ARGS`: every argument is ssh's (-p, -L, -o…), so they bypass our parser; only help is ours.
        if (args.Length >= 1 && args[0] == "ssh" && !(args.Length == 2 && args[1] is "-h" or "--help" or "-?"))
        {
            try
            {
                return CommandLineRunner.Guard(Name, console.Error, () => SshCommand.RunAsync(args[1..], console, CancellationToken.None).GetAwaiter().GetResult());
            }
            catch (Exception e)
            {
                // The same last guard CommandLineRunner.Run keeps for every other command: one line, never a stack trace.
                console.Error.WriteLine($"{Name}: unexpected error: {CommandLineRunner.OneLine(e.Message)}");
                return ExitCodes.Failure;
            }
        }
        return CommandLineRunner.Run(Name, BuildRoot(console), args, console.Out, console.Error);
    }

    internal static Command BuildRoot(CliConsole console)
    {
        var root = new Command(Name, $"BeaconSSH user CLI: short-lived OpenSSH certificates.\n{ExitCodes.HelpText}")
        {
            new HelpOption(),
            new VersionOption(),
            InspectCommand.Create(console),
            InitCommand.Create(console),
            LoginCommand.Create(console),
            TrustCommand.Create(console),
            SshCommand.Create(console),
            StatusCommand.Create(console),
            LogoutCommand.Create(console),
            CertCommand.Create(console),
            Commands.Telemetry.TelemetryCommand.Create(console),
        };
        return root;
    }
}
