using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Beacon.Diag.Tests.Fixtures;

/// <summary>Telemetry batches for tests: a valid one to start from, and posting helpers.</summary>
public static class Batches
{
    public const string ClientA = "client-a-0123456789";
    public const string ClientB = "client-b-0123456789";

    /// <summary>A valid batch as a JSON tree, to change one part of in a test.</summary>
    public static JsonObject Valid(string clientId = ClientA, string name = "beacon", int events = 1, string command = "inspect", bool ok = true) => new()
    {
        ["schema"] = "beacon-telemetry/1",
        ["client"] = new JsonObject { ["id"] = clientId, ["name"] = name, ["version"] = "1.0.0", ["os"] = "linux-x64" },
        ["events"] = new JsonArray(Enumerable.Range(0, events).Select(i => (JsonNode)Event(command, ok)).ToArray()),
    };

    public static JsonObject Event(string command = "inspect", bool ok = true)
    {
        var e = new JsonObject
        {
            ["command"] = command,
            ["duration_ms"] = 42,
            ["outcome"] = ok ? "ok" : "error",
            ["server_latency_ms"] = 7,
            ["at"] = "2026-11-23T10:00:00.123Z",
        };
        if (!ok)
        {
            e["error_code"] = "failure";
        }
        return e;
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, JsonNode batch) => PostRawAsync(client, batch.ToJsonString());

    public static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string body, string contentType = "application/json") =>
        client.PostAsync("/v1/telemetry", new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>The problem document of a refusal.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
