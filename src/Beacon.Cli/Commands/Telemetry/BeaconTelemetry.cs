using System.CommandLine;
using Beacon.Telemetry;

namespace Beacon.Cli.Commands.Telemetry;

/// <summary>
/// Runs one beacon invocation under opt-in telemetry: the command's name (only names beacon defines,
/// never arguments), its duration and its exit code, sent within a few hundred milliseconds at exit or dropped.
/// </summary>
internal static class BeaconTelemetry
{
    public static int Run(string[] args, Func<int> body) =>
        TelemetryRun.Run(TelemetrySettings.DefaultPathForBeacon(), BeaconCli.Name, () => CommandName(args), body);

    /// <summary>
    /// "inspect", "telemetry.status": the leading arguments that name beacon's own commands, so a file
    /// name or a token typed on the command line is never sent; "none" or "other" otherwise.
    /// </summary>
    internal static string CommandName(string[] args)
    {
        Command current = BeaconCli.BuildRoot(new CliConsole(TextWriter.Null, TextWriter.Null, TextReader.Null));
        var names = new List<string>();
        foreach (var arg in args)
        {
            var next = current.Subcommands.FirstOrDefault(c => c.Name == arg);
            if (next is null)
            {
                break;
            }
            names.Add(next.Name);
            current = next;
        }
        return names.Count > 0 ? string.Join('.', names) : args.Length == 0 ? "none" : "other";
    }
}
