using Beacon.CommandLine;
using System.CommandLine;
using System.CommandLine.Parsing;

namespace Beacon.CommandLine;

/// <summary>
/// Parses and invokes a command tree with the exit-code contract of <see cref="ExitCodes"/>. Every
/// failure is exactly one line on stderr: a usage error (exit 2) names the problem and the help to
/// read; a failure inside a command (exit 1) says what failed. Nothing prints a stack trace.
/// </summary>
public static class CommandLineRunner
{
    public static int Run(string programName, Command root, string[] args, TextWriter output, TextWriter error)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var messages = string.Join("; ", parse.Errors.Select(e => OneLine(e.Message)).Distinct());
            error.WriteLine($"{programName}: {messages} (see '{CommandPath(parse.CommandResult)} --help')");
            return ExitCodes.Usage;
        }
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return parse.Invoke(configuration);
        }
        catch (Exception e)
        {
            // Commands report their own failures; this is the last guard against a stack trace.
            error.WriteLine($"{programName}: unexpected error: {OneLine(e.Message)}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Runs a command body: a <see cref="UserFacingException"/> becomes one line on stderr and exit code 1.</summary>
    public static int Guard(string programName, TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UserFacingException e)
        {
            error.WriteLine($"{programName}: {OneLine(e.Message)}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Sets an asynchronous action whose <see cref="UserFacingException"/>s become one line on stderr and exit code 1.</summary>
    public static void SetAsyncAction(this Command command, string programName, Func<ParseResult, TextWriter, CancellationToken, Task<int>> handler) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await handler(parseResult, parseResult.InvocationConfiguration.Output, cancellationToken);
            }
            catch (UserFacingException e)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"{programName}: {OneLine(e.Message)}");
                return ExitCodes.Failure;
            }
        });

    /// <summary>Adapts a parser that throws <see cref="FormatException"/> to an option's parse error, so a malformed value is a usage error.</summary>
    public static Func<ArgumentResult, T?> Parser<T>(Func<string, T> parse) => result =>
    {
        try
        {
            return parse(result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value);
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
            return default;
        }
    };

    /// <summary>The same for an option that may be repeated: the parser sees every value.</summary>
    public static Func<ArgumentResult, T?> ListParser<T>(Func<IReadOnlyList<string>, T> parse) => result =>
    {
        try
        {
            return parse(result.Tokens.Select(t => t.Value).ToList());
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
            return default;
        }
    };

    /// <summary>A message flattened to one line, so a failure is always exactly one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult command)
            {
                names.Add(command.Command.Name);
            }
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}
