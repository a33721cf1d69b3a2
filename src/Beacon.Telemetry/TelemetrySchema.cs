using System.Text.RegularExpressions;

namespace Beacon.Telemetry;

/// <summary>
/// The batch format the sender writes (docs/diag.md, "beacon-telemetry/1"). The sender only ever
/// sends values that match these shapes: identifiers, numbers and timestamps, never free text.
/// </summary>
public static partial class TelemetrySchema
{
    public const string Id = "beacon-telemetry/1";

    /// <summary>Events kept in memory for one batch; more are dropped (the diagnostic server accepts up to 100).</summary>
    public const int MaxEventsPerBatch = 100;

    /// <summary>A command name: lowercase words joined by dots, e.g. "inspect" or "telemetry.status".</summary>
    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,23}(\.[a-z][a-z0-9-]{0,23}){0,2}$")]
    public static partial Regex Command();

    /// <summary>An error code: a short lowercase identifier, e.g. "exit-1" or "server_unreachable".</summary>
    [GeneratedRegex("^[a-z][a-z0-9_-]{0,39}$")]
    public static partial Regex ErrorCode();

    /// <summary>A random install id: 16 to 64 characters of [A-Za-z0-9_-].</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{16,64}$")]
    public static partial Regex ClientId();

    /// <summary>A version or an OS/runtime identifier such as "1.2.0+abc" or "linux-x64".</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+_-]{0,31}$")]
    public static partial Regex ShortToken();

    /// <summary>The programs that send telemetry.</summary>
    public static readonly IReadOnlySet<string> ClientNames = new HashSet<string>(StringComparer.Ordinal) { "beacon", "beacon-host" };
}
