using System.Net;
using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Server.Tests.Issuance;

/// <summary>
/// Two servers (two separate service containers, as two replicas would be) on one PostgreSQL database
/// under concurrent issuance: every request gets a certificate, serials are unique, each certificate has
/// exactly one audit event, and the log is one unbroken chain with nothing lost.
/// </summary>
public sealed class ReplicaConcurrencyTests(PostgresEngine engine) : IClassFixture<PostgresEngine>
{
    private const int RequestsPerReplica = 200;
    private const int Users = 40;

    [RequiresPostgresFact]
    public async Task TwoReplicasUnderLoadKeepOneUnbrokenAuditChain()
    {
        var connectionString = await engine.Server.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Beacon:Limits:IssuancePerIdentityPerMinute"] = "1000" };
        using var a = new BeaconServerFactory(settings, DatabaseTarget.Postgres(connectionString));
        using var b = new BeaconServerFactory(settings, DatabaseTarget.Postgres(connectionString), a.Cas);
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        var tokens = new List<string>();
        for (var i = 0; i < 2 * RequestsPerReplica; i += 20)
        {
            tokens.AddRange(await Task.WhenAll(Enumerable.Range(i, 20).Select(n => a.MintTokenAsync($"user{n % Users}", $"user{n % Users}"))));
        }
        var key = Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString();

        using var start = new SemaphoreSlim(0);
        var requests = tokens.Select((token, n) => Task.Run(async () =>
        {
            await start.WaitAsync();
            using var response = await (n % 2 == 0 ? clientA : clientB).RequestCertificateAsync(token, new { public_key = key });
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToList();
        start.Release(requests.Count);
        var responses = await Task.WhenAll(requests);

        var failures = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} requests failed, first: {failures.FirstOrDefault()}");
        var serials = responses.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("serial").GetString()!).ToList();
        Assert.Equal(serials.Count, serials.Distinct().Count());

        var store = a.Services.GetRequiredService<IBeaconStore>();
        var events = await store.ReadAuditAsync().ToListAsync();
        var issued = events.Where(e => e.Kind == "certificate.issue")
            .Select(e => JsonDocument.Parse(e.Details).RootElement.GetProperty("serial").GetString()!).ToList();
        Assert.Equal(serials.Order(), issued.Order());

        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        var stored = (await connection.QueryAsync<string>("SELECT serial FROM certificates")).ToList();
        Assert.Equal(serials.Order(), stored.Order());
        Assert.Equal(events.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_events"));
        Assert.Equal(tokens.Count, events.Count(e => e.Kind == "token.create"));
        Assert.Equal(Users, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users"));

        var chain = await AuditVerifier.VerifyAsync(store.ReadAuditAsync());
        Assert.True(chain.Ok, chain.Reason);
        Assert.Equal(events.Count, chain.Checked);
    }
}
