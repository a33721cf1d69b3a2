return Beacon.Cli.Commands.Telemetry.BeaconTelemetry.Run(args, () => Beacon.Cli.BeaconCli.Run(args, new Beacon.Cli.CliConsole(Console.Out, Console.Error, Console.In)
{
    IsInteractive = !Console.IsInputRedirected && !Console.IsOutputRedirected,
}));
