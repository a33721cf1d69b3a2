using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Testing;
using Dapper;

namespace Beacon.Server.Tests.Storage;

/// <summary>
/// The store's contract on a real database, a fresh one per test: migrations, users, one-time tokens,
/// certificate listing and revocation, policy versions, and the audit event beside every write. Run on
/// SQLite and on PostgreSQL by the two classes at the end of the file.
/// </summary>
public abstract class StoreTests(DatabaseEngine engine) : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("beacon-store-test-");
    private readonly List<SqlBeaconStore> _stores = [];
    private DatabaseTarget _target = null!;

    protected SqlBeaconStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _target = await engine.NewDatabaseAsync();
        Store = OpenStore();
        await Store.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            (store.Dialect as IDisposable)?.Dispose();
        }
        _directory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Another store over the same database, as a second replica would open it.</summary>
    private SqlBeaconStore OpenStore()
    {
        var store = _target.CreateStore(_directory);
        _stores.Add(store);
        return store;
    }

    [DatabaseFact]
    public async Task MigrationsAreIdempotent()
    {
        await Store.MigrateAsync();
        await OpenStore().MigrateAsync();
        await Task.WhenAll(OpenStore().MigrateAsync(), OpenStore().MigrateAsync());

        await using var connection = Store.Dialect.CreateConnection();
        var versions = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(SqlBeaconStore.Migrations(Store.Dialect.Name).Select(m => m.Version), versions);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM certificates"));
        Assert.True(await Store.IsReachableAsync());
    }

    [DatabaseFact]
    public async Task ReplicasMigratingAtOnceApplyEachMigrationOnce()
    {
        using var directory = new TempDirectory("beacon-store-test-");
        var target = await engine.NewDatabaseAsync();
        var replicas = Enumerable.Range(0, 4).Select(_ => target.CreateStore(directory)).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(r => r.MigrateAsync()));
            await using var connection = replicas[0].Dialect.CreateConnection();
            Assert.Equal(SqlBeaconStore.Migrations(replicas[0].Dialect.Name).Count(),
                await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
        }
        finally
        {
            replicas.ForEach(r => (r.Dialect as IDisposable)?.Dispose());
        }
    }

    [DatabaseFact]
    public async Task TouchUserCreatesOnFirstSightAndUpdatesAfterwards()
    {
        var first = await Store.TouchUserAsync("github", "1234", "alice", "alice@old.example", 1_000);
        var again = await Store.TouchUserAsync("github", "1234", "alice-renamed", "alice@new.example", 5_000);
        var other = await Store.TouchUserAsync("corp", "1234", "alice", null, 6_000);

        Assert.Equal(first.Id, again.Id);
        Assert.Equal((1_000L, 1_000L), (first.FirstSeen, first.LastSeen));
        Assert.Equal((1_000L, 5_000L), (again.FirstSeen, again.LastSeen));
        Assert.Equal(("alice-renamed", "alice@new.example"), (again.Username, again.Email));
        Assert.False(again.Disabled);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal([other.Id], (await Store.FindUsersAsync("alice")).Select(u => u.Id));
    }

    [DatabaseFact]
    public async Task ConcurrentFirstSightingsMakeOneUser()
    {
        var users = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Store.TouchUserAsync("github", "42", "carol", null, 1_000 + i)));
        Assert.Single(users.Select(u => u.Id).Distinct());
        Assert.Single(await Store.FindUsersAsync("carol"));
    }

    [DatabaseFact]
    public async Task DisablingAUserIsAuditedAndSeenOnTheNextTouch()
    {
        await Store.TouchUserAsync("github", "7", "dave", null, 1_000);
        Assert.Equal(1, await Store.SetUserDisabledAsync("dave", true, "left the company", Draft("user.disable", "dave")));
        var user = await Store.TouchUserAsync("github", "7", "dave", null, 2_000);
        Assert.True(user.Disabled);
        Assert.Equal("left the company", user.DisabledReason);
        Assert.Equal(0, await Store.SetUserDisabledAsync("nobody", true, "x", Draft("user.disable", "nobody")));
        Assert.Equal(["user.disable"], (await AuditAsync()).Select(e => e.Kind));
    }

    [DatabaseFact]
    public async Task OneTimeTokenIsConsumedOnce()
    {
        var now = Now();
        await Store.CreateOneTimeTokenAsync(Token("t1", now + 60_000), Draft("token.create", "erin"));

        Assert.NotNull(await Store.PeekOneTimeTokenAsync("t1", "user", now));
        Assert.NotNull(await Store.PeekOneTimeTokenAsync("t1", "user", now));
        Assert.Null(await Store.ConsumeOneTimeTokenAsync("t1", "host", now));
        var used = await Store.ConsumeOneTimeTokenAsync("t1", "user", now);
        Assert.Equal(("erin", now), (used?.Username, used?.UsedAt));
        Assert.Null(await Store.ConsumeOneTimeTokenAsync("t1", "user", now));
        Assert.Null(await Store.PeekOneTimeTokenAsync("t1", "user", now));
    }

    [DatabaseFact]
    public async Task ExpiredOrUnknownOneTimeTokenIsRefused()
    {
        var now = Now();
        await Store.CreateOneTimeTokenAsync(Token("old", now - 1), Draft("token.create", "erin"));
        Assert.Null(await Store.PeekOneTimeTokenAsync("old", "user", now));
        Assert.Null(await Store.ConsumeOneTimeTokenAsync("old", "user", now));
        Assert.Null(await Store.ConsumeOneTimeTokenAsync("never-created", "user", now));
    }

    [DatabaseFact]
    public async Task ConcurrentConsumersOfOneTokenHaveExactlyOneWinner()
    {
        var now = Now();
        for (var round = 0; round < 5; round++)
        {
            var hash = $"race-{round}";
            await Store.CreateOneTimeTokenAsync(Token(hash, now + 60_000), Draft("token.create", "frank"));
            // Separate stores, like replicas, each with its own connections.
            var stores = new[] { Store, OpenStore() };
            using var start = new ManualResetEventSlim();
            var consumers = Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
            {
                start.Wait();
                return await stores[i % 2].ConsumeOneTimeTokenAsync(hash, "user", now);
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(consumers);
            Assert.Single(results, r => r is not null);
        }
    }

    [DatabaseFact]
    public async Task CertificatesAreListedNewestFirstWithFiltersAndPages()
    {
        var live = NowSeconds() + 3600;
        var expired = NowSeconds() - 10;
        for (var i = 1; i <= 5; i++)
        {
            await RecordAsync(Certificate($"a{i}", "alice", i % 2 == 0 ? ["alice", "deploy"] : ["alice"], issuedAt: i * 1000, validBefore: live));
        }
        await RecordAsync(Certificate("b1", "bob", ["deployer"], issuedAt: 6000, validBefore: live));
        await RecordAsync(Certificate("b2", "bob", ["bob"], issuedAt: 7000, validBefore: expired));

        var alice = await Store.ListCertificatesAsync(new CertificateQuery(Username: "alice"));
        Assert.Equal(5, alice.Total);
        Assert.Equal(["a5", "a4", "a3", "a2", "a1"], alice.Items.Select(c => c.Serial));

        var pages = new List<string>();
        for (var offset = 0; offset < 6; offset += 2)
        {
            var page = await Store.ListCertificatesAsync(new CertificateQuery(Username: "alice", Limit: 2, Offset: offset));
            Assert.Equal((5L, 2, offset), (page.Total, page.Limit, page.Offset));
            Assert.Equal(offset < 4 ? 2 : 1, page.Items.Count);
            pages.AddRange(page.Items.Select(c => c.Serial));
        }
        Assert.Equal(alice.Items.Select(c => c.Serial), pages);

        Assert.Equal(["b1"], (await Store.ListCertificatesAsync(new CertificateQuery(Serial: "b1"))).Items.Select(c => c.Serial));
        Assert.Equal(["a3"], (await Store.ListCertificatesAsync(new CertificateQuery(KeyId: "key-a3"))).Items.Select(c => c.Serial));
        // "deploy" matches a whole principal, not "deployer".
        Assert.Equal(["a4", "a2"], (await Store.ListCertificatesAsync(new CertificateQuery(Principal: "deploy"))).Items.Select(c => c.Serial));
        Assert.Equal(["b1"], (await Store.ListCertificatesAsync(new CertificateQuery(Username: "bob", LiveOnly: true, Now: NowSeconds()))).Items.Select(c => c.Serial));
        Assert.Equal(7, (await Store.ListCertificatesAsync(new CertificateQuery())).Total);

        var stored = alice.Items[0];
        Assert.Equal(Certificate("a5", "alice", ["alice"], 5000, live), stored);
    }

    [DatabaseFact]
    public async Task RevokingBySerialMarksOneCertificateAndAuditsIt()
    {
        var live = NowSeconds() + 3600;
        await RecordAsync(Certificate("s1", "alice", ["alice"], 1000, live));
        await RecordAsync(Certificate("s2", "alice", ["alice"], 2000, live));
        var now = Now();

        var revoked = await Store.RevokeCertificatesAsync("s1", null, "local:root", now, Draft("certificate.revoke", "s1"));
        Assert.Equal(["s1"], revoked.Select(c => c.Serial));
        Assert.Equal((now, "local:root"), (revoked[0].RevokedAt, revoked[0].RevokedBy));

        var again = await Store.RevokeCertificatesAsync("s1", null, "local:root", now, Draft("certificate.revoke", "s1"));
        Assert.Empty(again);

        var listed = await Store.ListCertificatesAsync(new CertificateQuery(Username: "alice", LiveOnly: true, Now: NowSeconds()));
        Assert.Equal(["s2"], listed.Items.Select(c => c.Serial));
        var revokes = (await AuditAsync()).Where(e => e.Kind == "certificate.revoke").ToList();
        Assert.Single(revokes);
        Assert.Equal(["s1"], JsonDocument.Parse(revokes[0].Details).RootElement.GetProperty("serials").EnumerateArray().Select(s => s.GetString()));
    }

    [DatabaseFact]
    public async Task RevokingByUserMarksOnlyTheirLiveCertificates()
    {
        var live = NowSeconds() + 3600;
        await RecordAsync(Certificate("u1", "alice", ["alice"], 1000, live));
        await RecordAsync(Certificate("u2", "alice", ["alice"], 2000, live));
        await RecordAsync(Certificate("u3", "alice", ["alice"], 3000, NowSeconds() - 10));
        await RecordAsync(Certificate("u4", "bob", ["bob"], 4000, live));

        var revoked = await Store.RevokeCertificatesAsync(null, "alice", "local:root", Now(), Draft("certificate.revoke", "alice"));
        Assert.Equal(["u1", "u2"], revoked.Select(c => c.Serial).Order());
        var all = (await Store.ListCertificatesAsync(new CertificateQuery())).Items.ToDictionary(c => c.Serial);
        Assert.Null(all["u3"].RevokedAt);
        Assert.Null(all["u4"].RevokedAt);
        Assert.True((await AuditVerifier.VerifyAsync(Store.ReadAuditAsync())).Ok);
    }

    [DatabaseFact]
    public async Task EveryRevocationRaisesTheKrlVersionAndAReplicaReadsTheSameSnapshot()
    {
        var live = NowSeconds() + 3600;
        await RecordAsync(Certificate("k1", "alice", ["alice"], 1000, live));
        await RecordAsync(Certificate("k2", "alice", ["alice"], 2000, live));
        Assert.Equal(1, await Store.KrlVersionAsync());

        await Store.RevokeCertificatesAsync("k1", null, "local:root", Now(), Draft("certificate.revoke", "k1"));
        Assert.Equal(2, await Store.KrlVersionAsync());
        Assert.Empty(await Store.RevokeCertificatesAsync("k1", null, "local:root", Now(), Draft("certificate.revoke", "k1")));
        Assert.Equal(2, await Store.KrlVersionAsync());

        // Certificate("k2") has the public key fingerprint SHA256:k2: revoking that key revokes it too.
        var key = new RevokedKeyRecord("SHA256:k2", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl", Now(), "local:root", "lost");
        var outcome = await Store.RevokePublicKeyAsync(key, Draft("key.revoke", "SHA256:k2"));
        Assert.True(outcome.NewlyRevoked);
        Assert.Equal(["k2"], outcome.Certificates.Select(c => c.Serial));
        Assert.Equal(3, await Store.KrlVersionAsync());
        var again = await Store.RevokePublicKeyAsync(key, Draft("key.revoke", "SHA256:k2"));
        Assert.False(again.NewlyRevoked);
        Assert.Empty(again.Certificates);
        Assert.Equal(3, await Store.KrlVersionAsync());

        var snapshot = await OpenStore().ReadRevocationsAsync();
        Assert.Equal(3, snapshot.Version);
        Assert.Equal(key.RevokedAt / 1000, snapshot.UpdatedAt);
        Assert.Equal([new RevokedSerial("k1", "SHA256:ca"), new RevokedSerial("k2", "SHA256:ca")], snapshot.Serials.OrderBy(s => s.Serial));
        Assert.Equal([key], snapshot.Keys);
        Assert.Equal(2, (await AuditAsync()).Count(e => e.Kind is "certificate.revoke" or "key.revoke"));
        Assert.True((await AuditVerifier.VerifyAsync(Store.ReadAuditAsync())).Ok);
    }

    [DatabaseFact]
    public async Task DuplicateSerialIsRefusedWithoutAnAuditEvent()
    {
        await RecordAsync(Certificate("dup", "alice", ["alice"], 1000, NowSeconds() + 60));
        var before = (await AuditAsync()).Count;
        await Assert.ThrowsAsync<DuplicateSerialException>(() => RecordAsync(Certificate("dup", "bob", ["bob"], 2000, NowSeconds() + 60)));
        Assert.Equal(before, (await AuditAsync()).Count);
        Assert.Equal(1, (await Store.ListCertificatesAsync(new CertificateQuery(Serial: "dup"))).Total);
    }

    [DatabaseFact]
    public async Task PolicyVersionsIncrementAndEachChangeIsAudited()
    {
        Assert.Null(await Store.LatestPolicyAsync());
        for (var i = 1; i <= 3; i++)
        {
            var saved = await Store.SavePolicyAsync($"{{\"policies\":[],\"n\":{i}}}", "local:root", 1000 * i, Draft("policy.update", "policy"));
            Assert.Equal(i, saved.Version);
        }
        var latest = await Store.LatestPolicyAsync();
        Assert.Equal((3L, "{\"policies\":[],\"n\":3}", 3000L, "local:root"), (latest!.Version, latest.Document, latest.CreatedAt, latest.CreatedBy));
        Assert.Equal([3L, 2L, 1L], (await Store.PolicyHistoryAsync()).Select(p => p.Version));
        var versions = (await AuditAsync()).Where(e => e.Kind == "policy.update")
            .Select(e => JsonDocument.Parse(e.Details).RootElement.GetProperty("policy_version").GetInt64());
        Assert.Equal([1L, 2L, 3L], versions);
    }

    [DatabaseFact]
    public async Task ConcurrentPolicySavesGetDistinctVersions()
    {
        var saved = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            OpenStore().SavePolicyAsync($"{{\"n\":{i}}}", "test", i, Draft("policy.update", "policy"))));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), saved.Select(p => p.Version).Order());
    }

    [DatabaseFact]
    public async Task EveryWriteAppendsToOneUnbrokenChain()
    {
        var now = Now();
        await Store.CreateOneTimeTokenAsync(Token("c1", now + 60_000), Draft("token.create", "gina"));
        await RecordAsync(Certificate("c1", "gina", ["gina"], 1000, NowSeconds() + 60));
        await Store.AppendAuditAsync(Draft("certificate.refuse", "gina"));
        await Store.SavePolicyAsync("{}", "test", now, Draft("policy.update", "policy"));
        await Store.RevokeCertificatesAsync("c1", null, "test", now, Draft("certificate.revoke", "c1"));

        var events = await AuditAsync();
        Assert.Equal(["token.create", "certificate.issue", "certificate.refuse", "policy.update", "certificate.revoke"], events.Select(e => e.Kind));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], events.Select(e => e.Seq));
        var result = await AuditVerifier.VerifyAsync(Store.ReadAuditAsync());
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(5, result.Checked);
    }

    private Task<AuditEvent> RecordAsync(CertificateRecord certificate) =>
        Store.RecordIssuanceAsync(certificate, Draft("certificate.issue", certificate.Username, new() { ["serial"] = certificate.Serial }));

    private async Task<List<AuditEvent>> AuditAsync() => await Store.ReadAuditAsync().ToListAsync();

    private static CertificateRecord Certificate(string serial, string username, string[] principals, long issuedAt, long validBefore) =>
        new(serial, "user", null, username, "token", $"key-{serial}", JsonSerializer.Serialize(principals), null, "SHA256:" + serial,
            "SHA256:ca", issuedAt / 1000 - 60, validBefore, issuedAt, "127.0.0.1", "req-" + serial, "ssh-ed25519-cert-v01@openssh.com AAAA " + serial);

    private static OneTimeTokenRecord Token(string hash, long expiresAt) =>
        new(hash, "user", "erin", "[\"erin\"]", Now(), expiresAt);

    private static AuditDraft Draft(string kind, string subject, Dictionary<string, object?>? details = null) =>
        new(kind, AuditOutcome.Success, "test", subject, details ?? []);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static long NowSeconds() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}

/// <summary>The store on SQLite.</summary>
public sealed class StoreOnSqlite(SqliteEngine engine) : StoreTests(engine), IClassFixture<SqliteEngine>;

/// <summary>The store on PostgreSQL.</summary>
[RequiresPostgres]
public sealed class StoreOnPostgres(PostgresEngine engine) : StoreTests(engine), IClassFixture<PostgresEngine>;
