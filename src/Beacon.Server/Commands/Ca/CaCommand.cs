using System.CommandLine;
using Beacon.Server.Cli;
using Beacon.Server.Commands.Ca.Init;
using Beacon.Server.Commands.Ca.Sign;

namespace Beacon.Server.Commands.Ca;

/// <summary>beacon-server ca: the offline break-glass CA, for when the server is down.</summary>
internal static class CaCommand
{
    public static Command Create(CliConsole console) =>
        new("ca", "The offline break-glass CA: a user CA and a host CA kept in a directory, private keys encrypted under a password.")
        {
            CaInitCommand.Create(console),
            CaSignCommand.Create(console),
        };
}
