return Beacon.Server.BeaconServerCli.Run(args, Console.Out, Console.Error);
