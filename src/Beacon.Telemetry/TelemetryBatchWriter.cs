using System.Globalization;
using System.Text.Json;

namespace Beacon.Telemetry;

/// <summary>Writes one "beacon-telemetry/1" batch (docs/diag.md) as UTF-8 JSON.</summary>
internal static class TelemetryBatchWriter
{
    public static byte[] Write(TelemetryClientInfo client, IReadOnlyList<TelemetryEvent> events)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("schema", TelemetrySchema.Id);
            json.WriteStartObject("client");
            json.WriteString("id", client.Id);
            json.WriteString("name", client.Name);
            json.WriteString("version", client.Version);
            json.WriteString("os", client.Os);
            json.WriteEndObject();
            json.WriteStartArray("events");
            foreach (var e in events)
            {
                WriteEvent(json, e);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>One event object, as in a batch's "events" (also one line of the spool).</summary>
    public static void WriteEvent(Utf8JsonWriter json, TelemetryEvent e)
    {
        json.WriteStartObject();
        json.WriteString("command", e.Command);
        json.WriteNumber("duration_ms", e.DurationMs);
        json.WriteString("outcome", e.Outcome == TelemetryOutcome.Ok ? "ok" : "error");
        if (e.ErrorCode is not null)
        {
            json.WriteString("error_code", e.ErrorCode);
        }
        if (e.ServerLatencyMs is { } latency)
        {
            json.WriteNumber("server_latency_ms", latency);
        }
        json.WriteString("at", e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteEndObject();
    }
}

/// <summary>Who sends: the install id, the program, its version and the OS/runtime identifier.</summary>
public sealed record TelemetryClientInfo(string Id, string Name, string Version, string Os);
