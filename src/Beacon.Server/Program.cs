return await Beacon.Server.Commands.ServerCli.RunAsync(args);
