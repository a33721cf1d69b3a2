using System.Diagnostics;
using System.Text;

namespace Beacon.Bench.Issuance;

/// <summary>Runs a program to completion with a time limit; on timeout or cancellation the process tree is killed.</summary>
internal static class ChildProcess
{
    public sealed record Result(int ExitCode, string Output);

    /// <exception cref="TimeoutException">The program ran longer than <paramref name="timeout"/> (it has been killed).</exception>
    public static async Task<Result> RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in args)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{program} {string.Join(' ', info.ArgumentList)} ran longer than {timeout.TotalSeconds:0} s");
        }
        lock (output)
        {
            return new Result(process.ExitCode, output.ToString().TrimEnd());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
