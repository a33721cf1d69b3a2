return Beacon.Host.Commands.Telemetry.HostTelemetry.Run(args,
    () => Beacon.Host.BeaconHostCli.Run(args, Console.Out, Console.Error, isTerminal: !Console.IsOutputRedirected));
