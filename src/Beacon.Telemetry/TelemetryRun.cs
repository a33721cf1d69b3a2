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
    public static int Run(string settingsPath, string clientName, string command, Func<int> body)
    {
        using var session = TelemetrySession.Start(TelemetrySettings.LoadOrOff(settingsPath), clientName, VersionOf(Assembly.GetEntryAssembly()));
        var started = Stopwatch.GetTimestamp();
        var exitCode = body();
        if (session.IsActive)
        {
            session.Record(command, Stopwatch.GetElapsedTime(started),
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
