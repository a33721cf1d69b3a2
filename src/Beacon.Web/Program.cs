return Beacon.Web.BeaconWebCli.Run(args);
