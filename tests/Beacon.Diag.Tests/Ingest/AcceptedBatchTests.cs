using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Beacon.Diag.Storage;
using Beacon.Diag.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Diag.Tests.Ingest;

public sealed class AcceptedBatchTests
{
    [Fact]
    public async Task ValidBatchIsStoredAndCounted()
    {
        using var factory = new DiagFactory();
        using var client = factory.CreateClient();
        var batch = Batches.Valid(events: 3);
        batch["events"]!.AsArray().Add(Batches.Event("telemetry.status", ok: false));
        batch["events"]![0]!.AsObject().Remove("server_latency_ms");
        batch["events"]![1]!["server_latency_ms"] = null;
        using var response = await Batches.PostAsync(client, batch);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(4, (await response.Content.ReadFromJsonAsync<JsonObject>())!["accepted"]!.GetValue<int>());

        var store = factory.Services.GetRequiredService<IDiagStore>();
        var stats = await store.CommandStatsAsync(DateTimeOffset.UnixEpoch, null, CancellationToken.None);
        Assert.Equal([("inspect", 3L, 0L), ("telemetry.status", 1L, 1L)], stats.Select(s => (s.Command, s.Total, s.Errors)));
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("beacon_diag_events_received_total 4\n", metrics, StringComparison.Ordinal);
        Assert.Contains("beacon_diag_batches_accepted_total 1\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthzAnswersOkWhenTheDatabaseDoes()
    {
        using var factory = new DiagFactory();
        using var client = factory.CreateClient();
        Assert.Equal("ok\n", await client.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task SqliteDatabaseIsInTheDataDirectory()
    {
        using var factory = new DiagFactory();
        using var client = factory.CreateClient();
        (await Batches.PostAsync(client, Batches.Valid())).Dispose();
        Assert.True(File.Exists(factory.Directory.File("diag.db")));
    }
}
