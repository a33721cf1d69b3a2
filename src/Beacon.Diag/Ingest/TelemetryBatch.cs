namespace Beacon.Diag.Ingest;

/// <summary>A validated "beacon-telemetry/1" batch: every string matched its pattern, every number its range.</summary>
internal sealed record TelemetryBatch(TelemetryClient Client, IReadOnlyList<TelemetryEventRecord> Events);

internal sealed record TelemetryClient(string Id, string Name, string Version, string Os);

internal sealed record TelemetryEventRecord(
    string Command,
    long DurationMs,
    bool Ok,
    string? ErrorCode,
    long? ServerLatencyMs,
    DateTimeOffset At);
