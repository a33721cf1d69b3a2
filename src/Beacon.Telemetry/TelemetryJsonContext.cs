using System.Text.Json.Serialization;

namespace Beacon.Telemetry;

[JsonSourceGenerationOptions(WriteIndented = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, MaxDepth = 4)]
[JsonSerializable(typeof(TelemetrySettings))]
internal sealed partial class TelemetryJsonContext : JsonSerializerContext;
