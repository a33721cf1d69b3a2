namespace Beacon.Telemetry;

/// <summary>One finished command, as it is sent: a name, how long it took and how it ended.</summary>
public sealed record TelemetryEvent(
    string Command,
    long DurationMs,
    TelemetryOutcome Outcome,
    string? ErrorCode,
    long? ServerLatencyMs,
    DateTimeOffset At);
