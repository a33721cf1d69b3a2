using System.CommandLine;
using Beacon.CommandLine;
using Beacon.Web.Commands;

namespace Beacon.Web;

/// <summary>beacon-web's command line: `run`.</summary>
public static class BeaconWebCli
{
    public const string ProgramName = "beacon-web";

    public static int Run(string[] args)
    {
        var root = new RootCommand("BeaconSSH web portal and admin dashboard: sign in with your identity provider, see your certificates; admins manage users, policies, certificates and the audit log")
        {
            RunCommand.Create(),
        };
        return CommandLineRunner.Run(ProgramName, root, args, Console.Out, Console.Error);
    }
}
