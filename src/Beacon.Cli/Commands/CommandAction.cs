using System.CommandLine;
using Beacon.CommandLine;

namespace Beacon.Cli.Commands;

/// <summary>Sets a command's asynchronous body: a <see cref="UserFacingException"/> becomes one line on stderr and exit 1.</summary>
internal static class CommandAction
{
    public static void Set(Command command, CliConsole console, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await body(parse, cancellationToken);
            }
            catch (UserFacingException e)
            {
                await console.Error.WriteLineAsync($"{BeaconCli.Name}: {CommandLineRunner.OneLine(e.Message)}");
                return ExitCodes.Failure;
            }
        });
}
