using System.CommandLine;
using System.CommandLine.Parsing;
using Beacon.CommandLine;

namespace Beacon.Server.Cli;

/// <summary>beacon-server's use of the shared command-line contract (<see cref="CommandLineRunner"/>), with its program name.</summary>
internal static class CommandRunner
{
    public static int Run(string programName, Command root, string[] args, CliConsole console) =>
        CommandLineRunner.Run(programName, root, args, console.Out, console.Error);

    /// <summary>Runs a command body: a <see cref="UserFacingException"/> becomes one line on stderr and exit code 1.</summary>
    public static int Guard(string programName, CliConsole console, Func<int> body) => CommandLineRunner.Guard(programName, console.Error, body);

    /// <summary>An asynchronous action whose user-facing failures become one line on stderr and exit code 1.</summary>
    public static void SetAsyncAction(this Command command, Func<ParseResult, TextWriter, CancellationToken, Task<int>> handler) =>
        CommandLineRunner.SetAsyncAction(command, BeaconServerCli.Name, handler);

    /// <summary>The --data-dir option every server command that acts on a data directory takes.</summary>
    public static Option<string> DataDirOption() => new("--data-dir")
    {
        Description = "The server's data directory",
        Required = true,
    };

    public static Func<ArgumentResult, T?> Parser<T>(Func<string, T> parse) => CommandLineRunner.Parser(parse);

    public static Func<ArgumentResult, T?> ListParser<T>(Func<IReadOnlyList<string>, T> parse) => CommandLineRunner.ListParser(parse);
}
