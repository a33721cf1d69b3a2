namespace Beacon.CommandLine;

/// <summary>The exit codes of every BeaconSSH command (beacon, beacon-server, beacon-host); --help and docs/cli.md list them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and failed, or its input was bad (a malformed key, a missing file, a wrong password).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong: an unknown option, a missing argument.</summary>
    public const int Usage = 2;

    public const string HelpText = "Exit codes: 0 success, 1 failure or bad input, 2 usage error.";
}
