using Beacon.Server.Audit;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Testing;
using Dapper;

namespace Beacon.Server.Tests.Audit;

/// <summary>
/// The hash chain as stored: an intact log verifies; editing, deleting or re-hashing a row is found
/// and the first broken link named. Run on SQLite and on PostgreSQL by the classes at the end.
/// </summary>
public abstract class AuditVerifierTests(DatabaseEngine engine) : IAsyncLifetime
{
    private const int EventCount = 6;

    private readonly TempDirectory _directory = new("beacon-audit-test-");
    private SqlBeaconStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = (await engine.NewDatabaseAsync()).CreateStore(_directory);
        await _store.MigrateAsync();
        for (var i = 1; i <= EventCount; i++)
        {
            await _store.AppendAuditAsync(new AuditDraft("certificate.issue", AuditOutcome.Success, "token:alice", "alice",
                new Dictionary<string, object?> { ["serial"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }
    }

    public Task DisposeAsync()
    {
        (_store.Dialect as IDisposable)?.Dispose();
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [DatabaseFact]
    public async Task IntactChainVerifies()
    {
        var result = await AuditVerifier.VerifyAsync(_store.ReadAuditAsync());
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(EventCount, result.Checked);
    }

    public static TheoryData<string, string, long, string> Tampering() => new()
    {
        { "edit-details", "UPDATE audit_events SET details = '{\"serial\":\"999\"}' WHERE seq = 3", 3, "event 3 was altered" },
        { "edit-actor", "UPDATE audit_events SET actor = 'token:mallory' WHERE seq = 5", 5, "event 5 was altered" },
        { "edit-time", "UPDATE audit_events SET occurred_at = occurred_at + 1 WHERE seq = 2", 2, "event 2 was altered" },
        { "edit-hash", "UPDATE audit_events SET hash = prev_hash WHERE seq = 4", 4, "event 4 was altered" },
        { "delete-middle", "DELETE FROM audit_events WHERE seq = 4", 4, "event 4 is missing (next is 5)" },
        { "delete-first", "DELETE FROM audit_events WHERE seq = 1", 1, "event 1 is missing" },
        { "delete-run", "DELETE FROM audit_events WHERE seq IN (2, 3)", 2, "event 2 is missing (next is 4)" },
        { "renumber-after-delete", "DELETE FROM audit_events WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = 4", 3, "event 3 does not link to event 2" },
        { "copy-row-over-next", "UPDATE audit_events SET details = (SELECT details FROM audit_events WHERE seq = 1) WHERE seq = 2", 2, "event 2 was altered" },
    };

    [DatabaseTheory]
    [MemberData(nameof(Tampering), MemberType = typeof(AuditVerifierTests))]
    public async Task TamperingIsFoundAtTheFirstBrokenLink(string name, string sql, long brokenAt, string reason)
    {
        await ExecuteAsync(sql);
        var result = await AuditVerifier.VerifyAsync(_store.ReadAuditAsync());
        Assert.False(result.Ok, name);
        Assert.Equal(brokenAt, result.BrokenAtSeq);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
        Assert.Equal(brokenAt - 1, result.Checked);
    }

    [DatabaseFact]
    public async Task AnEditedRowWithARecomputedHashBreaksTheNextLink()
    {
        // Whoever can write the table can recompute one row's hash, but not the hashes chained after it.
        var events = await _store.ReadAuditAsync().ToListAsync();
        var forged = events[2] with { Details = "{\"serial\":\"999\"}" };
        forged = forged with { Hash = AuditChain.Hash(forged) };
        await ExecuteAsync("UPDATE audit_events SET details = @Details, hash = @Hash WHERE seq = @Seq", forged);

        var result = await AuditVerifier.VerifyAsync(_store.ReadAuditAsync());
        Assert.Equal(4, result.BrokenAtSeq);
        Assert.Contains("event 4 does not link to event 3", result.Reason, StringComparison.Ordinal);
    }

    private async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = _store.Dialect.CreateConnection();
        await connection.ExecuteAsync(sql, parameters);
    }
}

/// <summary>The audit chain on SQLite.</summary>
public sealed class AuditVerifierOnSqlite(SqliteEngine engine) : AuditVerifierTests(engine), IClassFixture<SqliteEngine>;

/// <summary>The audit chain on PostgreSQL.</summary>
[RequiresPostgres]
public sealed class AuditVerifierOnPostgres(PostgresEngine engine) : AuditVerifierTests(engine), IClassFixture<PostgresEngine>;
