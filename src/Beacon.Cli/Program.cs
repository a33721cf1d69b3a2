return Beacon.Cli.BeaconCli.Run(args, Console.Out, Console.Error, Console.In);
