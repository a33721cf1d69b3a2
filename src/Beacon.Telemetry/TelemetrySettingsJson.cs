using System.Text.Json;

namespace Beacon.Telemetry;

/// <summary>
/// The settings file's JSON, read with a Utf8JsonReader rather than the serializer: beacon reads it on
/// every run, and the serializer's first use costs a command tens of milliseconds. One flat object of
/// known fields; an unknown or repeated field, or a wrong type, is refused.
/// </summary>
internal static class TelemetrySettingsJson
{
    /// <exception cref="JsonException">Not one object of the known fields with the right types.</exception>
    public static TelemetrySettings Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 2, CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected an object");
        }
        var settings = new TelemetrySettings();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!seen.Add(name))
            {
                throw new JsonException($"\"{name}\" appears more than once");
            }
            reader.Read();
            settings = name switch
            {
                "enabled" when reader.TokenType is JsonTokenType.True or JsonTokenType.False => settings with { Enabled = reader.GetBoolean() },
                "url" when reader.TokenType is JsonTokenType.String or JsonTokenType.Null => settings with { Url = reader.GetString() },
                "client_id" when reader.TokenType is JsonTokenType.String or JsonTokenType.Null => settings with { ClientId = reader.GetString() },
                "timeout_ms" when reader.TokenType is JsonTokenType.Number && reader.TryGetInt32(out var timeout) => settings with { TimeoutMs = timeout },
                "enabled" or "url" or "client_id" or "timeout_ms" => throw new JsonException($"\"{name}\" has the wrong type"),
                _ => throw new JsonException($"unknown field \"{Printable(name)}\""),
            };
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("expected the end of the object");
        }
        return settings;
    }

    public static void Write(Stream stream, TelemetrySettings settings)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteBoolean("enabled", settings.Enabled);
        json.WriteString("url", settings.Url);
        json.WriteString("client_id", settings.ClientId);
        json.WriteNumber("timeout_ms", settings.TimeoutMs);
        json.WriteEndObject();
    }

    private static string Printable(string name) =>
        new(name.Take(40).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
