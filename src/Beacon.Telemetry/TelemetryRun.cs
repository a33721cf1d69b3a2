using System.Diagnostics;
using System.Reflection;

namespace Beacon.Telemetry;

/// <summary>
/// Wraps a whole CLI invocation: times it, records its outcome from the exit code and flushes within
/// the settings' bound. The exit code is returned unchanged whatever telemetry does.
/// </summary>
public static class TelemetryRun
{
    /// <param name="settingsPath">The telemetry settings file; a missing or broken file means off.</param>
    /// <param name="clientName">"beacon" or "beacon-host".</param>
    /// <param name="command">The command's identifier (e.g. "inspect"); anything else is sent as "other".</param>
    /// <param name="body">The command; returns its exit code.</param>
    public static int Run(string settingsPath, string clientName, string command, Func<int> body) =>
        Run(settingsPath, clientName, () => command, body);

    /// <param name="command">Names the command; called only when telemetry is on, after the command ran.</param>
    public static int Run(string settingsPath, string clientName, Func<string> command, Func<int> body) =>
        Run(settingsPath, clientName, command, body, sendsNow: true);

    /// <param name="sendsNow">
    /// Whether this command talks to a server anyway (login, sync): then the connection opens while it runs
    /// and its event goes with the spooled ones at exit, within the settings' bound. Otherwise the event is
    /// only appended to the spool (<see cref="TelemetrySpool"/>): no socket, no wait.
    /// </param>
    public static int Run(string settingsPath, string clientName, Func<string> command, Func<int> body, bool sendsNow)
    {
        var started = Stopwatch.GetTimestamp();
        if (!sendsNow)
        {
            var code = body();
            // Only the switch is read here; the URL and install id are checked (and the spooled events
            // validated) when a later command sends. Regexes and URI parsing cost a short process too much.
            if (TelemetrySettings.LoadOrOff(settingsPath).Enabled)
            {
                TelemetrySpool.Append(TelemetrySpool.PathFor(settingsPath), new TelemetryEvent(command(),
                    (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, code == 0 ? TelemetryOutcome.Ok : TelemetryOutcome.Error,
                    ErrorCodeFor(code), null, DateTimeOffset.UtcNow));
            }
            return code;
        }
        // Reading the settings and opening the connection overlap with the command itself.
        var starting = Task.Run(() => TelemetrySession.Start(TelemetrySettings.LoadOrOff(settingsPath), clientName, VersionOf(Assembly.GetEntryAssembly())));
        var exitCode = body();
        using var session = starting.GetAwaiter().GetResult();
        if (session.IsActive)
        {
            foreach (var spooled in TelemetrySpool.Take(TelemetrySpool.PathFor(settingsPath)))
            {
                session.Add(spooled);
            }
            session.Record(command(), Stopwatch.GetElapsedTime(started),
                exitCode == 0 ? TelemetryOutcome.Ok : TelemetryOutcome.Error, ErrorCodeFor(exitCode));
            session.FlushAsync().GetAwaiter().GetResult();
        }
        return exitCode;
    }

    /// <summary>The error code sent for a non-zero exit code: "failure" (1), "usage" (2), else "exit-N".</summary>
    public static string? ErrorCodeFor(int exitCode) => exitCode switch
    {
        0 => null,
        1 => "failure",
        2 => "usage",
        _ => $"exit-{exitCode & 0xff}",
    };

    /// <summary>A program's informational version (without build metadata), or "unknown".</summary>
    public static string VersionOf(Assembly? assembly) =>
        assembly?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly?.GetName().Version?.ToString()
        ?? "unknown";
}
