using System.Diagnostics;
using Beacon.Host.Files;

namespace Beacon.Host.Sshd;

/// <summary>Checks sshd's configuration (sshd -t) and makes sshd reload it, with the commands from config.json.</summary>
public sealed class SshdControl(HostConfig config)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs `sshd -t -f CONFIG`; null when sshd accepts the configuration, else why not (one line).</summary>
    public string? Validate() => Run(config.Sshd, ["-t", "-f", config.SshdConfig], $"{config.Sshd} -t -f {config.SshdConfig}");

    /// <summary>Runs `sshd -T -f CONFIG` and returns its effective settings (lowercase keyword → values), or null with why.</summary>
    public (Dictionary<string, List<string>>? Settings, string? Error) Effective()
    {
        var (exit, output, error) = Execute(config.Sshd, ["-T", "-f", config.SshdConfig]);
        if (exit != 0)
        {
            return (null, Describe($"{config.Sshd} -T", exit, error));
        }
        var settings = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var key = space < 0 ? line : line[..space];
            var value = space < 0 ? "" : line[(space + 1)..];
            if (!settings.TryGetValue(key, out var values))
            {
                settings[key] = values = [];
            }
            values.Add(value);
        }
        return (settings, null);
    }

    /// <summary>Runs the reload command with /bin/sh -c; null when it succeeded, else why not.</summary>
    public string? Reload() => Run("/bin/sh", ["-c", config.ReloadCommand], $"reload command '{config.ReloadCommand}'");

    private static string? Run(string program, string[] arguments, string what)
    {
        var (exit, _, error) = Execute(program, arguments);
        return exit == 0 ? null : Describe(what, exit, error);
    }

    private static string Describe(string what, int exit, string error)
    {
        var first = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return exit == -1 ? $"{what}: {error}" : $"{what} failed (exit {exit}){(first is null ? "" : $": {first}")}";
    }

    private static (int Exit, string Output, string Error) Execute(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", $"cannot run {program}: {e.Message}");
        }
        if (process is null)
        {
            return (-1, "", $"cannot run {program}");
        }
        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(CommandTimeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"{program} did not finish within {CommandTimeout.TotalSeconds:0} seconds");
            }
            return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
    }
}
