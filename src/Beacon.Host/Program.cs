return Beacon.Host.BeaconHostCli.Run(args, Console.Out, Console.Error, isTerminal: !Console.IsOutputRedirected);
