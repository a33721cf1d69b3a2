using Beacon.Testing;

namespace Beacon.Cli.Tests;

/// <summary>Runs beacon in process with string streams, or the built executable as a child process.</summary>
internal static class CliRun
{
    public static CliResult InProcess(params string[] args) => WithStdin("", args);

    public static CliResult WithStdin(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = BeaconCli.Run(args, stdout, stderr, new StringReader(stdin));
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs beacon in process with an environment of the test's own (nothing from the test runner's).</summary>
    public static CliResult WithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = new CliConsole(stdout, stderr, new StringReader(""))
        {
            Environment = name => environment.TryGetValue(name, out var value) ? value : null,
        };
        var exit = BeaconCli.Run(args, console);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the real beacon executable, which the build copies next to the test assembly.</summary>
    public static CliResult AsProcess(params string[] args)
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "beacon");
        var result = File.Exists(apphost)
            ? OpenSsh.Run(apphost, args)
            : OpenSsh.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "beacon.dll"), .. args]);
        return new CliResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout: {Out}\nstderr: {Error}";
}
