return Beacon.Bench.BenchProgram.Run(args, Console.Out, Console.Error);
