return Beacon.Diag.DiagCli.Run(args, Console.Out, Console.Error);
