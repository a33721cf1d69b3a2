using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Beacon.Cli.Tests.GoldenPath;

/// <summary>
/// The real beacon executable as a child process with an environment of the test's own (config
/// directory, HOME, agent, passphrase), whose output can be watched while it runs (the device flow's
/// code appears before the command ends).
/// </summary>
internal sealed class BeaconProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();
    private readonly Task _readOut;
    private readonly Task _readError;

    private BeaconProcess(Process process)
    {
        _process = process;
        _readOut = PumpAsync(process.StandardOutput, _out);
        _readError = PumpAsync(process.StandardError, _error);
    }

    public string Out
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public static BeaconProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "beacon");
        var info = File.Exists(apphost) ? new ProcessStartInfo(apphost) : new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "beacon.dll")]);
        info.UseShellExecute = false;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        foreach (var argument in args)
        {
            info.ArgumentList.Add(argument);
        }
        // Nothing of the test runner's own session: no display (no browser), no agent, no config but the test's.
        foreach (var name in new[] { "DISPLAY", "WAYLAND_DISPLAY", "SSH_AUTH_SOCK", "XDG_CONFIG_HOME", "BEACON_KEY_PASSPHRASE", "BEACON_KEY_PASSPHRASE_FILE" })
        {
            info.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
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
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return new BeaconProcess(process);
    }

    /// <summary>Waits until stdout matches; the match, or an exception with everything printed so far.</summary>
    public Match WaitForOutput(Regex pattern, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(60)))
        {
            if (pattern.Match(Out) is { Success: true } match)
            {
                return match;
            }
            if (_process.HasExited && _readOut.IsCompleted)
            {
                break;
            }
            Thread.Sleep(20);
        }
        throw new InvalidOperationException($"beacon never printed {pattern}: {Finish()}");
    }

    /// <summary>Waits for the process to end and returns what it did.</summary>
    public CliResult Finish(TimeSpan? timeout = null)
    {
        if (!_process.WaitForExit(timeout ?? TimeSpan.FromSeconds(120)))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"beacon did not finish: stdout {Out}");
        }
        Task.WaitAll(_readOut, _readError);
        lock (_error)
        {
            return new CliResult(_process.ExitCode, Out, _error.ToString());
        }
    }

    public static CliResult Run(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Start(environment, args);
        return process.Finish();
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
