using System.Net;
using Beacon.Diag.Alerts;
using Beacon.Diag.Storage;
using Beacon.Diag.Tests.Fixtures;
using Beacon.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Diag.Tests.Storage;

/// <summary>The store through the real server, written once and run on SQLite and on PostgreSQL.</summary>
public abstract class StoreSuite
{
    /// <summary>A server on a fresh database of the engine under test.</summary>
    protected abstract Task<DiagFactory> NewServerAsync();

    [DatabaseFact]
    public async Task BatchesAreStoredAndAggregatedPerCommand()
    {
        using var factory = await NewServerAsync();
        using var client = factory.CreateClient();
        using (var first = await Batches.PostAsync(client, Batches.Valid(events: 3)))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }
        using (var second = await Batches.PostAsync(client, Batches.Valid(Batches.ClientB, "beacon-host", events: 2, command: "sync", ok: false)))
        {
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        }
        var store = factory.Services.GetRequiredService<IDiagStore>();
        var stats = await store.CommandStatsAsync(DateTimeOffset.UtcNow.AddHours(-1), null, CancellationToken.None);
        Assert.Equal([("inspect", 3L, 0L, 42.0, 42L), ("sync", 2L, 2L, 42.0, 42L)],
            stats.Select(s => (s.Command, s.Total, s.Errors, s.AverageDurationMs, s.MaxDurationMs)));
        Assert.Equal(["sync"], (await store.CommandStatsAsync(DateTimeOffset.UtcNow.AddHours(-1), "sync", CancellationToken.None)).Select(s => s.Command));

        var page = await client.GetStringAsync("/");
        Assert.Contains("<td>sync</td><td>2</td><td>2</td>", page, StringComparison.Ordinal);
        Assert.Equal("ok\n", await client.GetStringAsync("/healthz"));
    }

    [DatabaseFact]
    public async Task ClientsAreListedBySilence()
    {
        using var factory = await NewServerAsync();
        using var client = factory.CreateClient();
        (await Batches.PostAsync(client, Batches.Valid(Batches.ClientA))).Dispose();
        (await Batches.PostAsync(client, Batches.Valid(Batches.ClientB, "beacon-host"))).Dispose();
        var store = factory.Services.GetRequiredService<IDiagStore>();
        var later = DateTimeOffset.UtcNow.AddMinutes(5);
        Assert.Equal([Batches.ClientB], (await store.ClientsNotSeenSinceAsync(later, "beacon-host", 10, CancellationToken.None)).Select(c => c.Id));
        Assert.Equal(2, (await store.ClientsNotSeenSinceAsync(later, null, 10, CancellationToken.None)).Count);
        Assert.Empty(await store.ClientsNotSeenSinceAsync(DateTimeOffset.UtcNow.AddMinutes(-5), null, 10, CancellationToken.None));
    }

    [DatabaseFact]
    public async Task AnAlertIsOpenedOnceAndResolved()
    {
        using var factory = await NewServerAsync();
        var store = factory.Services.GetRequiredService<IDiagStore>();
        var alert = new FiringAlert("rule-a", "failure-rate", "inspect", "inspect: 3 of 4 failed");
        var now = DateTimeOffset.UtcNow;
        Assert.True(await store.OpenAlertAsync(alert, now, CancellationToken.None));
        Assert.False(await store.OpenAlertAsync(alert, now, CancellationToken.None));
        var open = Assert.Single(await store.OpenAlertsAsync(CancellationToken.None));
        await store.ResolveAlertAsync(open.Id, now.AddMinutes(1), CancellationToken.None);
        Assert.Empty(await store.OpenAlertsAsync(CancellationToken.None));
        Assert.True(await store.OpenAlertAsync(alert, now.AddMinutes(2), CancellationToken.None));
        Assert.Equal(2, (await store.RecentAlertsAsync(10, CancellationToken.None)).Count);
    }

    [DatabaseFact]
    public async Task OldEventsAreDeleted()
    {
        using var factory = await NewServerAsync();
        using var client = factory.CreateClient();
        (await Batches.PostAsync(client, Batches.Valid(events: 2))).Dispose();
        var store = factory.Services.GetRequiredService<IDiagStore>();
        await store.DeleteEventsBeforeAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        Assert.Empty(await store.CommandStatsAsync(DateTimeOffset.UnixEpoch, null, CancellationToken.None));
    }

    [DatabaseFact]
    public async Task MigratingTwiceChangesNothing()
    {
        using var factory = await NewServerAsync();
        var store = factory.Services.GetRequiredService<IDiagStore>();
        await store.MigrateAsync(CancellationToken.None);
        Assert.True(await store.PingAsync(CancellationToken.None));
    }
}

public sealed class SqliteStoreTests : StoreSuite
{
    protected override Task<DiagFactory> NewServerAsync() => Task.FromResult(new DiagFactory());
}

/// <summary>One throwaway PostgreSQL cluster for the class, a fresh database per test.</summary>
public sealed class PostgresCluster : IDisposable
{
    private readonly PostgresServer? _server = RealServices.PostgresSkipReason() is null ? PostgresServer.Start() : null;

    public PostgresServer Server => _server ?? throw new InvalidOperationException(RealServices.PostgresSkipReason());

    public void Dispose() => _server?.Dispose();
}

[RequiresPostgres]
public sealed class PostgresStoreTests(PostgresCluster cluster) : StoreSuite, IClassFixture<PostgresCluster>
{
    protected override async Task<DiagFactory> NewServerAsync() => new(postgresConnectionString: await cluster.Server.CreateDatabaseAsync());
}
