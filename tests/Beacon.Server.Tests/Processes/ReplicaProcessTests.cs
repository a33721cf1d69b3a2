using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Identity;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Dapper;

namespace Beacon.Server.Tests.Processes;

/// <summary>
/// Two real beacon-server processes, replicas that share nothing but one PostgreSQL database (and the CA
/// keys of one data directory), under concurrent issuance through both: every request gets a certificate,
/// serials are unique, each certificate has exactly one audit event, and `beacon-server audit verify`
/// finds one unbroken chain holding every event.
/// </summary>
public sealed class ReplicaProcessTests(PostgresEngine engine) : IClassFixture<PostgresEngine>
{
    private const int RequestsPerReplica = 150;
    private const int Users = 30;
    private const int InFlightPerReplica = 16;

    [RequiresPostgresFact]
    public async Task TwoServerProcessesOnOnePostgresIssueConcurrentlyWithOneUnbrokenAuditChain()
    {
        var connectionString = await engine.Server.CreateDatabaseAsync();
        var environment = new Dictionary<string, string?>
        {
            ["Beacon__Database__Provider"] = "postgres",
            ["Beacon__Database__ConnectionString"] = connectionString,
        };
        using var data = new TempDirectory("beacon-replicas-");
        // init runs once (the first Start); the second process finds the directory initialised and shares its keys.
        using var a = ServerProcess.Start(environment, data);
        using var b = ServerProcess.Start(environment, data);
        Assert.NotEqual(a.Url, b.Url);
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        var userCa = await clientA.GetStringAsync("/v1/trust/user-ca.pub");
        Assert.Equal(userCa, await clientB.GetStringAsync("/v1/trust/user-ca.pub"));

        // One-time tokens stored in the shared database, as `beacon-server token create` stores them; a token
        // minted for one replica is consumed by the other, so the token table is shared state under load too.
        using var dialect = new PostgresDialect(connectionString);
        var store = new SqlBeaconStore(dialect, TimeProvider.System);
        var tokens = new List<string>();
        for (var n = 0; n < 2 * RequestsPerReplica; n++)
        {
            tokens.Add(await MintAsync(store, $"user{n % Users}"));
        }
        var key = Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString();

        var responses = new ConcurrentBag<(string Replica, HttpStatusCode Status, string Body)>();
        async Task IssueAsync(string replica, HttpClient client, IEnumerable<string> replicaTokens) =>
            await Parallel.ForEachAsync(replicaTokens, new ParallelOptions { MaxDegreeOfParallelism = InFlightPerReplica }, async (token, cancellationToken) =>
            {
                using var response = await client.RequestCertificateAsync(token, new { public_key = key });
                responses.Add((replica, response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken)));
            });
        // Tokens minted in order go alternately to A and B, so each replica consumes tokens the other's neighbours hold.
        await Task.WhenAll(
            IssueAsync("a", clientA, tokens.Where((_, n) => n % 2 == 0)),
            IssueAsync("b", clientB, tokens.Where((_, n) => n % 2 == 1)));

        var failures = responses.Where(r => r.Status != HttpStatusCode.Created).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} requests failed, first: {failures.FirstOrDefault()}\nA: {a.Output}\nB: {b.Output}");
        Assert.Equal(RequestsPerReplica, responses.Count(r => r.Replica == "a"));
        Assert.Equal(RequestsPerReplica, responses.Count(r => r.Replica == "b"));
        var issued = responses.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        var serials = issued.Select(r => r.GetProperty("serial").GetString()!).ToList();
        Assert.Equal(serials.Count, serials.Distinct().Count());
        var caKey = SshPublicKeyParser.ParseLine(userCa);
        Assert.All(issued, r =>
        {
            var certificate = SshCertificateParser.ParseLine(r.GetProperty("certificate").GetString()!);
            Assert.True(certificate.VerifySignature() && certificate.SignatureKey.Equals(caKey), "a certificate is not signed by the shared user CA");
        });

        var events = await store.ReadAuditAsync().ToListAsync();
        var issueEvents = events.Where(e => e.Kind == "certificate.issue")
            .Select(e => JsonDocument.Parse(e.Details).RootElement.GetProperty("serial").GetString()!).ToList();
        // Exactly one issuance event per certificate: same multiset of serials, no extra, none missing.
        Assert.Equal(serials.Order(), issueEvents.Order());
        Assert.Equal(tokens.Count, events.Count(e => e.Kind == "token.create"));
        Assert.DoesNotContain(events, e => e.Kind == "certificate.refuse");
        await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
        {
            Assert.Equal(serials.Order(), (await connection.QueryAsync<string>("SELECT serial FROM certificates")).Order());
            Assert.Equal(tokens.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM one_time_tokens WHERE used_at IS NOT NULL"));
        }
        // Sequence numbers 1..N with no gap: an event lost between replicas would leave a hole or a fork.
        Assert.Equal(Enumerable.Range(1, events.Count).Select(n => (long)n), events.Select(e => e.Seq));

        // The operator's check, run by the real command against the same database: one chain, every event in it.
        var verify = a.Command("audit", "verify", "--data-dir", a.DataDir);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains($"audit chain intact: {events.Count} events", verify.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task<string> MintAsync(SqlBeaconStore store, string user)
    {
        var token = OneTimeTokenProvider.NewToken();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await store.CreateOneTimeTokenAsync(
            new OneTimeTokenRecord(TokenDigest.StorageHash(token), OneTimeTokenProvider.UserKind, user, JsonSerializer.Serialize(new[] { "deploy" }), now, now + 300_000),
            new AuditDraft("token.create", AuditOutcome.Success, "local:test", user, new Dictionary<string, object?> { ["principals"] = new[] { "deploy" } }));
        return token;
    }
}
