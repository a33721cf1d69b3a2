using System.Text.RegularExpressions;

namespace Beacon.Diag.Ingest;

/// <summary>
/// The shapes of "beacon-telemetry/1" values (docs/diag.md). Every string is a short identifier:
/// there is no field where free text (a path, an argument, a token) could travel.
/// </summary>
internal static partial class TelemetryPatterns
{
    public const string SchemaId = "beacon-telemetry/1";

    /// <summary>Lowercase words joined by dots, at most three: "inspect", "telemetry.status".</summary>
    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,23}(\.[a-z][a-z0-9-]{0,23}){0,2}$")]
    public static partial Regex Command();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,39}$")]
    public static partial Regex ErrorCode();

    /// <summary>A random install id, 16 to 64 characters.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{16,64}$")]
    public static partial Regex ClientId();

    /// <summary>A version or runtime identifier: "1.2.0", "linux-x64".</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+_-]{0,31}$")]
    public static partial Regex ShortToken();

    /// <summary>RFC 3339 in UTC with an optional fraction: 2026-11-23T10:00:00.123Z.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$")]
    public static partial Regex Timestamp();

    public static readonly IReadOnlySet<string> ClientNames = new HashSet<string>(StringComparer.Ordinal) { "beacon", "beacon-host" };

    /// <summary>A day: no command runs longer, and a larger number is a bug or an attack.</summary>
    public const long MaxDurationMs = 86_400_000;

    public const long MaxServerLatencyMs = 600_000;
}
