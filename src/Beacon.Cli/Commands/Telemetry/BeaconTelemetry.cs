using Beacon.Telemetry;

namespace Beacon.Cli.Commands.Telemetry;

/// <summary>
/// Runs one beacon invocation under opt-in telemetry: the command's name (only names beacon defines,
/// never arguments), its duration and its exit code, sent within a few hundred milliseconds at exit or dropped.
/// </summary>
internal static class BeaconTelemetry
{
    public static int Run(string[] args, Func<int> body) =>
        TelemetryRun.Run(TelemetrySettings.DefaultPathForBeacon(), BeaconCli.Name, () => CommandName(args), body, TalksToAServer(args));

    /// <summary>
    /// Commands that talk to a server or an identity provider anyway send their event (and the spooled ones) at
    /// exit; the rest (status, ssh with a valid certificate, inspect, logout…) only spool, so they never wait.
    /// </summary>
    internal static bool TalksToAServer(string[] args) => args.Length > 0 && args[0] is "login" or "cert" or "init" or "trust";

    /// <summary>beacon's commands and their subcommands, as BuildRoot makes them (a test keeps the two equal).</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Commands = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["inspect"] = [], ["init"] = [], ["login"] = [], ["trust"] = [], ["ssh"] = [], ["status"] = [], ["logout"] = [], ["cert"] = [],
        ["telemetry"] = ["on", "off", "status"],
    };

    /// <summary>
    /// "inspect", "telemetry.status": the leading arguments that name beacon's own commands, so a file
    /// name or a token typed on the command line is never sent; "none" or "other" otherwise. A table, not
    /// the parser: building the command tree would cost a command that touches no network more than the command.
    /// </summary>
    internal static string CommandName(string[] args)
    {
        if (args.Length == 0)
        {
            return "none";
        }
        if (!Commands.TryGetValue(args[0], out var subcommands))
        {
            return "other";
        }
        return args.Length > 1 && subcommands.Contains(args[1], StringComparer.Ordinal) ? $"{args[0]}.{args[1]}" : args[0];
    }
}
