using System.CommandLine;
using Beacon.Server.Cli;
using Beacon.Server.Commands.Ca.Init;
using Beacon.Server.Commands.Ca.Lifecycle;
using Beacon.Server.Commands.Ca.Sign;

namespace Beacon.Server.Commands.Ca;

/// <summary>beacon-server ca: the server's CA keys and their rotation; and the offline break-glass CA, for when the server is down.</summary>
internal static class CaCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("ca", "CA keys. list, rotate, activate, retire: the server's CA keys on a data directory (--data-dir), shared by every replica. " +
            "init, sign: the offline break-glass CA, a user CA and a host CA kept in a directory (--dir), private keys encrypted under a password.")
        {
            CaInitCommand.Create(console),
            CaSignCommand.Create(console),
        };
        foreach (var lifecycle in CaLifecycleCommands.Create())
        {
            command.Subcommands.Add(lifecycle);
        }
        return command;
    }
}
