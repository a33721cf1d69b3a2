using System.Text.Json;
using System.Text.Json.Serialization;

namespace Beacon.Server.Api;

/// <summary>The API's JSON conventions: snake_case, strict (unknown fields refused), bounded depth.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
        // Responses are application/json, never HTML: keep '+' and the like readable in certificates.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
