using System.CommandLine;
using Beacon.CommandLine;
using Beacon.Host.Files;

namespace Beacon.Host.Commands;

/// <summary>Options every beacon-host command shares, and the action wrapper with the exit-code contract.</summary>
internal static class HostOptions
{
    public static Option<string> Root() => new("--root")
    {
        Description = "Directory every path lives under (etc/beacon-host, etc/ssh, var/lib/beacon-host); the files written name the mapped paths",
        DefaultValueFactory = _ => "/",
    };

    public static Option<bool> Verbose() => new("--verbose", "-v")
    {
        Description = "Print progress lines even when standard output is not a terminal",
    };

    public static HostPaths Paths(ParseResult parse, Option<string> root) => new(parse.GetValue(root)!);

    /// <summary>Sets the action: a <see cref="UserFacingException"/> becomes one line on stderr and exit 1.</summary>
    public static void SetHostAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> handler) =>
        command.SetAsyncAction(BeaconHostCli.Name, (parse, _, cancellationToken) => handler(parse, cancellationToken));

    /// <summary>Progress lines: on a terminal or with --verbose, else nothing (a timer's run stays quiet).</summary>
    public static Action<string> Progress(HostConsole console, bool verbose) =>
        console.IsTerminal || verbose ? line => console.Out.WriteLine(line) : _ => { };

    /// <summary>A comma-separated list option (g1,g2), also repeatable.</summary>
    public static Option<string[]> List(string name, string description) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = CommandLineRunner.ListParser(values => values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray()),
    };
}
