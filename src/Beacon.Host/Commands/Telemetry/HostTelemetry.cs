using System.CommandLine;
using Beacon.Host.Files;
using Beacon.Telemetry;
using Beacon.Telemetry.Cli;

namespace Beacon.Host.Commands.Telemetry;

/// <summary>
/// Opt-in telemetry for beacon-host (off by default): settings in ROOT/etc/beacon-host/telemetry.json,
/// `beacon-host telemetry on --url URL | off | status`, and each run recorded by command name and outcome.
/// </summary>
internal static class HostTelemetry
{
    /// <summary>Runs one invocation under telemetry; the exit code is returned unchanged.</summary>
    public static int Run(string[] args, Func<int> body) =>
        TelemetryRun.Run(SettingsFile(RootOf(args)), BeaconHostCli.Name, () => CommandName(args), body,
            sendsNow: args.Length > 0 && args[0] is "sync" or "renew" or "enroll" or "bootstrap");

    public static string SettingsFile(string root) => new HostPaths(root).TelemetrySettingsFile;

    /// <summary>The telemetry command for the settings under <paramref name="root"/>; it takes --root like every command.</summary>
    public static Command Create(HostConsole console, string root)
    {
        var command = TelemetryCommandFactory.Create(BeaconHostCli.Name, SettingsFile(root), console.Out, console.Error);
        foreach (var sub in command.Subcommands)
        {
            // The path was chosen from --root before parsing; the option is declared so the parser accepts it.
            sub.Options.Add(HostOptions.Root());
        }
        return command;
    }

    /// <summary>The value of --root in the arguments (default /).</summary>
    public static string RootOf(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--root" && i + 1 < args.Length)
            {
                return args[i + 1];
            }
            if (args[i].StartsWith("--root=", StringComparison.Ordinal))
            {
                return args[i]["--root=".Length..];
            }
        }
        return "/";
    }

    /// <summary>"sync", "telemetry.status": only names beacon-host defines, never an argument's value.</summary>
    internal static string CommandName(string[] args)
    {
        Command current = BeaconHostCli.BuildRoot(new HostConsole(TextWriter.Null, TextWriter.Null, TimeProvider.System, false));
        var names = new List<string>();
        foreach (var arg in args)
        {
            if (current.Subcommands.FirstOrDefault(c => c.Name == arg) is not { } next)
            {
                break;
            }
            names.Add(next.Name);
            current = next;
        }
        return names.Count > 0 ? string.Join('.', names) : args.Length == 0 ? "none" : "other";
    }
}
