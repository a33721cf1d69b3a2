using System.CommandLine;
using Beacon.Telemetry;
using Beacon.Telemetry.Cli;

namespace Beacon.Cli.Commands.Telemetry;

/// <summary>beacon telemetry on --url URL | off | status, on beacon's settings file (~/.config/beacon/telemetry.json).</summary>
internal static class TelemetryCommand
{
    public static Command Create(CliConsole console) =>
        TelemetryCommandFactory.Create(BeaconCli.Name, TelemetrySettings.DefaultPathForBeacon(), console.Out, console.Error);
}
