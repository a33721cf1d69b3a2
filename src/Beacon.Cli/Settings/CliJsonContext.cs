using System.Text.Json.Serialization;

namespace Beacon.Cli.Settings;

/// <summary>
/// Serialization code for beacon's own files, generated at build time: reflection-based JSON costs about
/// 150 ms of start-up, and `beacon status` and `beacon ssh` run on every connection.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true, MaxDepth = 16)]
[JsonSerializable(typeof(CliConfig))]
[JsonSerializable(typeof(StoredToken))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
