using System.Text.Json;
using System.Text.Json.Serialization;

namespace Beacon.Host.Files;

/// <summary>How config.json and state.json are written: snake_case, indented, nulls left out.</summary>
internal static class HostJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        MaxDepth = 8,
    };

    /// <summary>Reads a JSON file, or returns null when it does not exist.</summary>
    /// <exception cref="HostException">Too large or not the expected JSON.</exception>
    public static T? Read<T>(string path) where T : class
    {
        var bytes = AtomicFile.ReadBounded(path, 256 * 1024);
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Options) ?? throw new HostException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new HostException($"{path}: not valid ({e.Message})", e);
        }
    }

    public static void Write<T>(string path, T value, UnixFileMode mode) =>
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(value, Options), mode);
}
