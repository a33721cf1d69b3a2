namespace Beacon.Telemetry;

/// <summary>How a command ended.</summary>
public enum TelemetryOutcome
{
    Ok,
    Error,
}
