using System.CommandLine;
using Beacon.CommandLine;
using Beacon.Diag.Commands;

namespace Beacon.Diag;

/// <summary>The beacon-diag command line.</summary>
public static class DiagCli
{
    public const string Name = "beacon-diag";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new Command(Name, $"BeaconSSH diagnostic server: opt-in telemetry from beacon and beacon-host, alerts, /metrics. Shares nothing with beacon-server.\n{ExitCodes.HelpText}")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
            RunCommand.Create(),
        };
        return CommandLineRunner.Run(Name, root, args, stdout, stderr);
    }
}
