using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Beacon.Diag.Ingest;

/// <summary>
/// Reads a "beacon-telemetry/1" batch by walking a depth-bounded JsonDocument by hand: every object
/// has exactly its known fields (an unknown or repeated one is refused and named), every value its type,
/// length and pattern. Nothing the client sends is trusted as free text.
/// </summary>
internal static class BatchParser
{
    /// <summary>root object → events array → event object, plus one level so a misplaced object or array is reported as a wrong type.</summary>
    public const int MaxDepth = 4;

    private static readonly string[] RootFields = ["schema", "client", "events"];
    private static readonly string[] ClientFields = ["id", "name", "version", "os"];
    private static readonly string[] EventFields = ["command", "duration_ms", "outcome", "error_code", "server_latency_ms", "at"];

    /// <exception cref="BatchRejectedException">The batch is malformed or breaks the schema; the message names the field.</exception>
    public static TelemetryBatch Parse(ReadOnlyMemory<byte> body, int maxEvents)
    {
        // JsonDocument checks UTF-8 only when a string is decoded; check the whole body up front.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            throw new BatchRejectedException(400, "malformed", null, "the body is not valid UTF-8");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions
            {
                MaxDepth = MaxDepth,
                AllowTrailingCommas = false,
                CommentHandling = JsonCommentHandling.Disallow,
            });
        }
        catch (JsonException e)
        {
            var where = $"line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";
            throw e.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? new BatchRejectedException(400, "too_deep", null, $"the JSON is nested deeper than {MaxDepth} levels ({where})")
                : new BatchRejectedException(400, "malformed", null, $"the body is not valid JSON ({where})");
        }
        using (document)
        {
            var root = Fields(document.RootElement, "$", RootFields);
            var schema = RequiredString(root, "schema", "schema", 32, null);
            if (schema != TelemetryPatterns.SchemaId)
            {
                throw BatchRejectedException.Invalid("schema", $"must be \"{TelemetryPatterns.SchemaId}\"");
            }
            var client = ReadClient(Fields(Required(root, "client", "client"), "client", ClientFields));
            var events = Required(root, "events", "events");
            if (events.ValueKind != JsonValueKind.Array)
            {
                throw BatchRejectedException.Invalid("events", "must be an array");
            }
            var count = events.GetArrayLength();
            if (count > maxEvents)
            {
                throw new BatchRejectedException(413, "too_many_events", "events", $"events: {count} events, at most {maxEvents} per batch");
            }
            if (count == 0)
            {
                throw BatchRejectedException.Invalid("events", "must hold at least one event");
            }
            var records = new List<TelemetryEventRecord>(count);
            var index = 0;
            foreach (var element in events.EnumerateArray())
            {
                records.Add(ReadEvent(element, $"events[{index.ToString(CultureInfo.InvariantCulture)}]"));
                index++;
            }
            return new TelemetryBatch(client, records);
        }
    }

    private static TelemetryClient ReadClient(Dictionary<string, JsonElement> client) => new(
        RequiredString(client, "id", "client.id", 64, TelemetryPatterns.ClientId(), "16 to 64 characters of A-Z, a-z, 0-9, '_' and '-'"),
        RequiredName(client),
        RequiredString(client, "version", "client.version", 32, TelemetryPatterns.ShortToken(), "a short version such as 1.2.0"),
        RequiredString(client, "os", "client.os", 32, TelemetryPatterns.ShortToken(), "a runtime identifier such as linux-x64"));

    private static string RequiredName(Dictionary<string, JsonElement> client)
    {
        var name = RequiredString(client, "name", "client.name", 16, null);
        return TelemetryPatterns.ClientNames.Contains(name)
            ? name
            : throw BatchRejectedException.Invalid("client.name", "must be \"beacon\" or \"beacon-host\"");
    }

    private static TelemetryEventRecord ReadEvent(JsonElement element, string path)
    {
        var fields = Fields(element, path, EventFields);
        var command = RequiredString(fields, "command", $"{path}.command", 72, TelemetryPatterns.Command(), "a command name such as inspect or telemetry.status");
        var duration = RequiredInteger(fields, "duration_ms", $"{path}.duration_ms", TelemetryPatterns.MaxDurationMs);
        var outcome = RequiredString(fields, "outcome", $"{path}.outcome", 8, null);
        if (outcome is not ("ok" or "error"))
        {
            throw BatchRejectedException.Invalid($"{path}.outcome", "must be \"ok\" or \"error\"");
        }
        var errorCode = OptionalString(fields, "error_code", $"{path}.error_code", 40, TelemetryPatterns.ErrorCode(), "a short lowercase identifier");
        if (errorCode is not null && outcome == "ok")
        {
            throw BatchRejectedException.Invalid($"{path}.error_code", "is only allowed when outcome is \"error\"");
        }
        var latency = OptionalInteger(fields, "server_latency_ms", $"{path}.server_latency_ms", TelemetryPatterns.MaxServerLatencyMs);
        var atText = RequiredString(fields, "at", $"{path}.at", 40, TelemetryPatterns.Timestamp(), "an RFC 3339 UTC time such as 2026-11-23T10:00:00Z");
        if (!DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            throw BatchRejectedException.Invalid($"{path}.at", "is not a valid date and time");
        }
        return new TelemetryEventRecord(command, duration, outcome == "ok", errorCode, latency, at);
    }

    /// <summary>The object's fields by name; an unknown or repeated field is refused, naming it.</summary>
    private static Dictionary<string, JsonElement> Fields(JsonElement element, string path, string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw BatchRejectedException.Invalid(path, "must be an object");
        }
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var name = FieldName(path, property.Name);
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new BatchRejectedException(400, "unknown_field", name, $"{name}: unknown field (schema {TelemetryPatterns.SchemaId} allows {string.Join(", ", allowed)})");
            }
            if (!fields.TryAdd(property.Name, property.Value))
            {
                throw BatchRejectedException.Invalid(name, "appears more than once");
            }
        }
        return fields;
    }

    private static JsonElement Required(Dictionary<string, JsonElement> fields, string name, string field) =>
        fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw BatchRejectedException.Invalid(field, "is required");

    private static string RequiredString(Dictionary<string, JsonElement> fields, string name, string field, int maxLength, Regex? pattern, string? shape = null) =>
        StringValue(Required(fields, name, field), field, maxLength, pattern, shape);

    private static string? OptionalString(Dictionary<string, JsonElement> fields, string name, string field, int maxLength, Regex pattern, string shape) =>
        fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? StringValue(value, field, maxLength, pattern, shape) : null;

    private static string StringValue(JsonElement value, string field, int maxLength, Regex? pattern, string? shape)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw BatchRejectedException.Invalid(field, $"must be a string, not {Kind(value)}");
        }
        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            throw BatchRejectedException.Invalid(field, $"is longer than {maxLength} characters");
        }
        if (pattern is not null && !pattern.IsMatch(text))
        {
            throw BatchRejectedException.Invalid(field, $"must be {shape}");
        }
        return text;
    }

    private static long RequiredInteger(Dictionary<string, JsonElement> fields, string name, string field, long max) =>
        IntegerValue(Required(fields, name, field), field, max);

    private static long? OptionalInteger(Dictionary<string, JsonElement> fields, string name, string field, long max) =>
        fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? IntegerValue(value, field, max) : null;

    private static long IntegerValue(JsonElement value, string field, long max)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw BatchRejectedException.Invalid(field, $"must be an integer, not {Kind(value)}");
        }
        if (!value.TryGetInt64(out var number))
        {
            throw BatchRejectedException.Invalid(field, "must be a whole number of milliseconds");
        }
        return number >= 0 && number <= max
            ? number
            : throw BatchRejectedException.Invalid(field, $"must be between 0 and {max}");
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>A field path for messages; an unknown name is cut short and reduced to printable ASCII, since the client chose it.</summary>
    private static string FieldName(string path, string name)
    {
        var shown = new StringBuilder();
        foreach (var c in name.Length > 40 ? name[..40] : name)
        {
            shown.Append(c is >= ' ' and <= '~' ? c : '?');
        }
        if (name.Length > 40)
        {
            shown.Append('…');
        }
        return path == "$" ? shown.ToString() : $"{path}.{shown}";
    }
}
