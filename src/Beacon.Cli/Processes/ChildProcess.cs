using System.Diagnostics;

namespace Beacon.Cli.Processes;

/// <summary>What a finished child process did.</summary>
internal sealed record ChildResult(int ExitCode, string Out, string Error)
{
    /// <summary>The last non-empty line of stderr (OpenSSH's tools put the reason there).</summary>
    public string Reason => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {ExitCode}";
}

/// <summary>Runs OpenSSH's tools (ssh-keygen, ssh-add, ssh) as child processes with an explicit environment.</summary>
internal static class ChildProcess
{
    /// <summary>Runs a program to completion with output captured; stdin is empty.</summary>
    /// <exception cref="CliException">The program is not installed, or it did not finish in time.</exception>
    public static ChildResult Run(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var info = Info(program, arguments, environment);
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Start(info);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new CliException($"{program} did not finish in time");
        }
        return new ChildResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs a program on this terminal (stdin, stdout and stderr inherited) and returns its exit code.</summary>
    public static int RunAttached(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Start(Info(program, arguments, environment));
        // Ctrl-C belongs to the child (it shares our terminal's process group): we wait for it to finish.
        ConsoleCancelEventHandler ignore = (_, e) => e.Cancel = true;
        Console.CancelKeyPress += ignore;
        try
        {
            process.WaitForExit();
            return process.ExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= ignore;
        }
    }

    /// <summary>Finds a program on PATH (a path with a slash is taken as it is); null when absent.</summary>
    public static string? Find(string program, string? path)
    {
        if (program.Contains('/'))
        {
            return File.Exists(program) ? program : null;
        }
        foreach (var directory in (path ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static ProcessStartInfo Info(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }
        return info;
    }

    private static Process Start(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw new CliException($"could not start {info.FileName}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CliException($"cannot run {info.FileName}: {e.Message} (is OpenSSH installed?)");
        }
    }
}
