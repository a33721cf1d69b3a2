using Beacon.Testing;

namespace Beacon.Server.Tests;

/// <summary>Runs beacon-server in process with string streams and a fixed clock, or the built executable as a child process.</summary>
internal static class ServerCliRun
{
    /// <summary>2026-03-04T05:06:07Z, the clock of in-process runs.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    public static CliResult InProcess(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = BeaconServerCli.Run(args, stdout, stderr, new FixedClock(Now));
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the real beacon-server executable, which the build copies next to the test assembly.</summary>
    public static CliResult AsProcess(params string[] args)
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "beacon-server");
        var result = File.Exists(apphost)
            ? OpenSsh.Run(apphost, args)
            : OpenSsh.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "beacon-server.dll"), .. args]);
        return new CliResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout: {Out}\nstderr: {Error}";
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
