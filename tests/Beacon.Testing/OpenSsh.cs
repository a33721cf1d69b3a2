using System.Diagnostics;

namespace Beacon.Testing;

/// <summary>Locates OpenSSH's programs and runs them as child processes with a time limit.</summary>
public static class OpenSsh
{
    public const string Ssh = "/usr/bin/ssh";
    public const string SshKeygen = "/usr/bin/ssh-keygen";
    public const string SshAgent = "/usr/bin/ssh-agent";
    public const string SshAdd = "/usr/bin/ssh-add";
    public const string Sshd = "/usr/sbin/sshd";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The missing programs, comma-separated, or null when all are present.</summary>
    public static string? MissingTools()
    {
        var missing = new[] { Ssh, SshKeygen, SshAgent, SshAdd, Sshd }.Where(p => !File.Exists(p)).ToList();
        return missing.Count == 0 ? null : string.Join(", ", missing);
    }

    /// <summary>Runs a program to completion (killing it after the timeout) and returns what it did.</summary>
    public static ProcessResult Run(string program, IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null,
        IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in time");
        }
        return new ProcessResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public static ProcessResult Keygen(params string[] arguments) => Run(SshKeygen, arguments);
}

/// <summary>What a finished child process did.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";
}
