using System.Net;
using System.Text.Json.Nodes;
using Beacon.Diag.Tests.Fixtures;

namespace Beacon.Diag.Tests.Ingest;

/// <summary>Every kind of bad batch gets a 4xx problem+json that says what is wrong, and never a 5xx.</summary>
public sealed class BadPayloadTests(BadPayloadTests.Server server) : IClassFixture<BadPayloadTests.Server>
{
    public sealed class Server : IDisposable
    {
        public DiagFactory Factory { get; } = new(new Dictionary<string, string?>
        {
            ["Diag:Limits:MaxBodyBytes"] = "8192",
            ["Diag:Limits:MaxEventsPerBatch"] = "10",
            // The theory posts many batches from one client; rate limits have their own tests.
            ["Diag:Limits:BatchesPerClientPerMinute"] = "100000",
            ["Diag:Limits:BatchesPerAddressPerMinute"] = "100000",
        });

        public void Dispose() => Factory.Dispose();
    }

    public static TheoryData<string, string, int, string?> Payloads()
    {
        var data = new TheoryData<string, string, int, string?>
        {
            { "empty body", "", 400, null },
            { "not JSON", "hello", 400, null },
            { "truncated JSON", Batches.Valid().ToJsonString()[..40], 400, null },
            { "trailing comma", "{\"schema\":\"beacon-telemetry/1\",}", 400, null },
            { "comment", "/* x */ {}", 400, null },
            { "array at the root", "[]", 400, "$" },
            { "string at the root", "\"beacon\"", 400, "$" },
            { "deeply nested", new string('[', 2000) + new string(']', 2000), 400, null },
            { "nested objects in an event", Nested(), 400, null },
            { "deeply nested objects", string.Concat(Enumerable.Repeat("{\"a\":", 500)) + "1" + new string('}', 500), 400, null },
            { "oversized body", Batches.Valid().ToJsonString().Replace("\"inspect\"", "\"" + new string('a', 9000) + "\"", StringComparison.Ordinal), 413, null },
            { "too many events", Batches.Valid(events: 11).ToJsonString(), 413, "events" },
            { "no events", Batches.Valid(events: 0).ToJsonString(), 400, "events" },
            { "unknown root field", With(b => b["extra"] = 1), 400, "extra" },
            { "unknown client field", With(b => b["client"]!["token"] = "x"), 400, "client.token" },
            { "unknown event field", With(b => b["events"]![0]!["args"] = "--password"), 400, "events[0].args" },
            { "duplicate field", Batches.Valid().ToJsonString().Replace("\"schema\":\"beacon-telemetry/1\"", "\"schema\":\"beacon-telemetry/1\",\"schema\":\"beacon-telemetry/1\"", StringComparison.Ordinal), 400, "schema" },
            { "missing schema", With(b => b.Remove("schema")), 400, "schema" },
            { "other schema", With(b => b["schema"] = "beacon-telemetry/2"), 400, "schema" },
            { "schema a number", With(b => b["schema"] = 1), 400, "schema" },
            { "client a string", With(b => b["client"] = "beacon"), 400, "client" },
            { "missing client id", With(b => b["client"]!.AsObject().Remove("id")), 400, "client.id" },
            { "short client id", With(b => b["client"]!["id"] = "abc"), 400, "client.id" },
            { "client id with spaces", With(b => b["client"]!["id"] = "abc def ghi jkl mno"), 400, "client.id" },
            { "unknown client name", With(b => b["client"]!["name"] = "beacon-server"), 400, "client.name" },
            { "long version", With(b => b["client"]!["version"] = new string('1', 200)), 400, "client.version" },
            { "os with free text", With(b => b["client"]!["os"] = "Debian GNU/Linux 12"), 400, "client.os" },
            { "events an object", With(b => b["events"] = new JsonObject()), 400, "events" },
            { "event a number", With(b => b["events"]![0] = 5), 400, "events[0]" },
            { "command with a path", With(b => b["events"]![0]!["command"] = "/home/alice/.ssh/id"), 400, "events[0].command" },
            { "command with a token", With(b => b["events"]![0]!["command"] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0"), 400, "events[0].command" },
            { "overly long command", With(b => b["events"]![0]!["command"] = new string('a', 300)), 400, "events[0].command" },
            { "command a number", With(b => b["events"]![0]!["command"] = 3), 400, "events[0].command" },
            { "duration a string", With(b => b["events"]![0]!["duration_ms"] = "42"), 400, "events[0].duration_ms" },
            { "duration a fraction", With(b => b["events"]![0]!["duration_ms"] = 1.5), 400, "events[0].duration_ms" },
            { "duration negative", With(b => b["events"]![0]!["duration_ms"] = -1), 400, "events[0].duration_ms" },
            { "duration huge", Batches.Valid().ToJsonString().Replace("\"duration_ms\":42", "\"duration_ms\":1e400", StringComparison.Ordinal), 400, "events[0].duration_ms" },
            { "duration a boolean", With(b => b["events"]![0]!["duration_ms"] = true), 400, "events[0].duration_ms" },
            { "unknown outcome", With(b => b["events"]![0]!["outcome"] = "maybe"), 400, "events[0].outcome" },
            { "error code on success", With(b => b["events"]![0]!["error_code"] = "failure"), 400, "events[0].error_code" },
            { "error code with free text", With(b => { b["events"]![0]!["outcome"] = "error"; b["events"]![0]!["error_code"] = "could not open /etc/shadow"; }), 400, "events[0].error_code" },
            { "long error code", With(b => { b["events"]![0]!["outcome"] = "error"; b["events"]![0]!["error_code"] = new string('e', 500); }), 400, "events[0].error_code" },
            { "latency an array", With(b => b["events"]![0]!["server_latency_ms"] = new JsonArray()), 400, "events[0].server_latency_ms" },
            { "at not a time", With(b => b["events"]![0]!["at"] = "yesterday"), 400, "events[0].at" },
            { "at not UTC", With(b => b["events"]![0]!["at"] = "2026-11-23T10:00:00+02:00"), 400, "events[0].at" },
            { "at an impossible date", With(b => b["events"]![0]!["at"] = "2026-13-45T10:00:00Z"), 400, "events[0].at" },
            { "second event bad", With(b => { b["events"]!.AsArray().Add(Batches.Event()); b["events"]![1]!["outcome"] = 1; }), 400, "events[1].outcome" },
            { "unknown field name with control characters", With(b => b["\u0001<script>"] = 1), 400, "?<script>" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task BadBatchIsRefusedWithProblemNamingTheField(string description, string body, int status, string? field)
    {
        using var client = server.Factory.CreateClient();
        using var response = await Batches.PostRawAsync(client, body);
        Assert.True(status == (int)response.StatusCode, $"{description}: expected {status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var problem = await Batches.ProblemAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), description);
        if (field is not null)
        {
            Assert.Equal(field, problem["field"]?.GetValue<string>());
            Assert.Contains(field, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task InvalidUtf8Gets400()
    {
        using var client = server.Factory.CreateClient();
        using var content = new ByteArrayContent([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/v1/telemetry", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Batches.ProblemAsync(response);
    }

    [Fact]
    public async Task WrongContentTypeGets415()
    {
        using var client = server.Factory.CreateClient();
        using var response = await Batches.PostRawAsync(client, Batches.Valid().ToJsonString(), "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await Batches.ProblemAsync(response);
    }

    [Fact]
    public async Task DeclaredLengthOverTheLimitGets413BeforeTheBodyIsRead()
    {
        using var client = server.Factory.CreateClient();
        using var content = new ByteArrayContent(new byte[100_000]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/v1/telemetry", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("8192", (await Batches.ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyWithoutLengthIsCutOffAtTheLimitWith413()
    {
        using var client = server.Factory.CreateClient();
        // A stream of unknown length: the limit is enforced while reading, not from Content-Length.
        using var content = new StreamContent(new MemoryStream(new byte[100_000]));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/telemetry") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await Batches.ProblemAsync(response);
    }

    [Fact]
    public async Task RefusalsAreCountedByReasonOnMetrics()
    {
        using var client = server.Factory.CreateClient();
        (await Batches.PostAsync(client, With2(b => b["client"]!["token"] = "x"))).Dispose();
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Matches("beacon_diag_batches_refused_total\\{reason=\"unknown_field\"\\} [1-9]", metrics);
    }

    private static string Nested() => With(b => b["events"]![0]!["command"] = new JsonObject { ["a"] = new JsonObject { ["b"] = new JsonObject() } });

    private static string With(Action<JsonObject> change) => With2(change).ToJsonString();

    private static JsonObject With2(Action<JsonObject> change)
    {
        var batch = Batches.Valid();
        change(batch);
        return batch;
    }
}
