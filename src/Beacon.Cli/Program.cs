return Beacon.Cli.Commands.Telemetry.BeaconTelemetry.Run(args, () => Beacon.Cli.BeaconCli.Run(args, Console.Out, Console.Error, Console.In));
