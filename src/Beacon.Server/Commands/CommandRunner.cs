using System.CommandLine;

namespace Beacon.Server.Commands;

/// <summary>Runs a command handler: user errors become one line on stderr and exit code 1.</summary>
public static class CommandRunner
{
    public static void SetHandler(this Command command, Func<ParseResult, TextWriter, CancellationToken, Task<int>> handler) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                return await handler(parseResult, output, cancellationToken);
            }
            catch (CommandException e)
            {
                await error.WriteLineAsync($"beacon-server: {e.Message}");
                return 1;
            }
        });

    public static Option<string> DataDirOption() => new("--data-dir")
    {
        Description = "The server's data directory",
        Required = true,
    };
}
