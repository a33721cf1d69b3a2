using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Testing;

namespace Beacon.Server.Tests.Storage;

/// <summary>
/// The admin searches (IAdminStore) on a real database: keyset pages newest first across equal issue
/// times, every filter, LIKE metacharacters taken literally. Run on SQLite and on PostgreSQL.
/// </summary>
public abstract class AdminStoreTests(DatabaseEngine engine) : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("beacon-admin-store-test-");
    private SqlBeaconStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = (await engine.NewDatabaseAsync()).CreateStore(_directory);
        await _store.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        (_store.Dialect as IDisposable)?.Dispose();
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [DatabaseFact]
    public async Task CertificatePagesWalkNewestFirstAcrossEqualIssueTimes()
    {
        var live = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600;
        // Three share an issue time: the serial breaks the tie, so no row is skipped or repeated at a page edge.
        foreach (var (serial, issuedAt) in new[] { ("s1", 1000L), ("s2", 2000L), ("s3", 2000L), ("s4", 2000L), ("s5", 3000L) })
        {
            await RecordAsync(Certificate(serial, "alice", ["alice"], issuedAt, live));
        }
        var seen = new List<string>();
        long? afterIssuedAt = null;
        string? afterSerial = null;
        while (true)
        {
            var rows = await _store.SearchCertificatesAsync(new CertificateSearch(Username: "alice", AfterIssuedAt: afterIssuedAt, AfterSerial: afterSerial, Limit: 2));
            seen.AddRange(rows.Take(2).Select(r => r.Serial));
            if (rows.Count <= 2)
            {
                break;
            }
            (afterIssuedAt, afterSerial) = (rows[1].IssuedAt, rows[1].Serial);
        }
        Assert.Equal(["s5", "s4", "s3", "s2", "s1"], seen);
    }

    [DatabaseFact]
    public async Task EveryCertificateFilterNarrows()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await RecordAsync(Certificate("a1", "alice", ["alice", "deploy"], 1000, now + 600));
        await RecordAsync(Certificate("a2", "alice", ["alice"], 2000, now - 10));
        await RecordAsync(Certificate("b1", "bob", ["bob_x"], 3000, now + 600));
        await RecordAsync(Certificate("b2", "bob", ["bobAx"], 4000, now + 600));
        await _store.RevokeCertificatesAsync("b2", null, "test", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            new AuditDraft("certificate.revoke", AuditOutcome.Success, "test", "b2", new Dictionary<string, object?>()));

        async Task<string[]> Serials(CertificateSearch search) =>
            (await _store.SearchCertificatesAsync(search with { Now = now })).Select(c => c.Serial).ToArray();
        Assert.Equal(["a2", "a1"], await Serials(new CertificateSearch(Username: "alice")));
        Assert.Equal(["a1"], await Serials(new CertificateSearch(Principal: "deploy")));
        // "_" is a LIKE wildcard: taken literally, bob_x does not match bobAx.
        Assert.Equal(["b1"], await Serials(new CertificateSearch(Principal: "bob_x")));
        Assert.Equal(["b2"], await Serials(new CertificateSearch(KeyId: "key-b2")));
        Assert.Equal(["b1"], await Serials(new CertificateSearch(Serial: "b1")));
        Assert.Equal(["b2", "b1"], await Serials(new CertificateSearch(IssuedFrom: 3000)));
        Assert.Equal(["a2", "a1"], await Serials(new CertificateSearch(IssuedTo: 3000)));
        Assert.Equal(["b1", "a1"], await Serials(new CertificateSearch(Status: "live")));
        Assert.Equal(["b2"], await Serials(new CertificateSearch(Status: "revoked")));
        Assert.Equal(["a2"], await Serials(new CertificateSearch(Status: "expired")));
        Assert.Empty(await Serials(new CertificateSearch(Username: "alice", Provider: "github")));
    }

    [DatabaseFact]
    public async Task UsersAndAuditAreSearchedAndPaged()
    {
        foreach (var name in new[] { "carol", "carl", "dave", "100%" })
        {
            await _store.TouchUserAsync("oidc", "sub-" + name, name, $"{name}@example.test", 1000);
        }
        var users = await _store.SearchUsersAsync(new UserSearch("car", null, null, 10));
        Assert.Equal(["carl", "carol"], users.Select(u => u.Username));
        var percent = await _store.SearchUsersAsync(new UserSearch("0%", null, null, 10));
        Assert.Equal(["100%"], percent.Select(u => u.Username));
        var afterCarl = await _store.SearchUsersAsync(new UserSearch(null, "carl", users[0].Id, 10));
        Assert.Equal(["carol", "dave"], afterCarl.Select(u => u.Username));

        for (var i = 0; i < 5; i++)
        {
            await _store.AppendAuditAsync(new AuditDraft(i % 2 == 0 ? "user.disable" : "user.enable", AuditOutcome.Success, "oidc:admin", "carol", new Dictionary<string, object?>()));
        }
        var disables = await _store.SearchAuditAsync(new AuditSearch("user.disable", "oidc:admin", "carol", "success", null, 2));
        Assert.Equal(3, disables.Count);
        Assert.True(disables[0].Seq > disables[1].Seq);
        var older = await _store.SearchAuditAsync(new AuditSearch("user.disable", null, null, null, disables[1].Seq, 2));
        Assert.Single(older);
    }

    private Task<AuditEvent> RecordAsync(CertificateRecord certificate) =>
        _store.RecordIssuanceAsync(certificate, new AuditDraft("certificate.issue", AuditOutcome.Success, "test", certificate.Username,
            new Dictionary<string, object?> { ["serial"] = certificate.Serial }));

    private static CertificateRecord Certificate(string serial, string username, string[] principals, long issuedAt, long validBefore) =>
        new(serial, "user", null, username, "token", $"key-{serial}", JsonSerializer.Serialize(principals), null, "SHA256:" + serial,
            "SHA256:ca", issuedAt / 1000 - 60, validBefore, issuedAt, "127.0.0.1", "req-" + serial, "ssh-ed25519-cert-v01@openssh.com AAAA " + serial);
}

/// <summary>The admin searches on SQLite.</summary>
public sealed class AdminStoreOnSqlite(SqliteEngine engine) : AdminStoreTests(engine), IClassFixture<SqliteEngine>;

/// <summary>The admin searches on PostgreSQL.</summary>
[RequiresPostgres]
public sealed class AdminStoreOnPostgres(PostgresEngine engine) : AdminStoreTests(engine), IClassFixture<PostgresEngine>;
