using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Commands;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Testing;
using Dapper;

namespace Beacon.Server.Tests.Audit;

/// <summary>
/// `beacon-server audit verify --data-dir D`, in process, on a data directory made by hand (only its
/// beacon.json is needed): exit 0 and the count on an intact chain, exit 1 naming the first broken
/// event otherwise. Run on SQLite and on PostgreSQL (named in beacon.json) by the classes at the end.
/// </summary>
public abstract class AuditVerifyCommandTests(DatabaseEngine engine) : IAsyncLifetime
{
    private readonly TempDirectory _data = new("beacon-data-");
    private SqlBeaconStore _store = null!;

    public async Task InitializeAsync()
    {
        var target = await engine.NewDatabaseAsync();
        var database = target.Options(_data);
        var config = new
        {
            Beacon = new
            {
                Database = new { database.Provider, database.ConnectionString },
                Providers = new { token = new { Type = "token" } },
            },
        };
        _data.Write("beacon.json", JsonSerializer.Serialize(config));
        _store = target.CreateStore(_data);
        await _store.MigrateAsync();
        for (var i = 0; i < 5; i++)
        {
            await _store.AppendAuditAsync(new AuditDraft("user.disable", AuditOutcome.Success, "local:root", $"user{i}", new Dictionary<string, object?>()));
        }
    }

    public Task DisposeAsync()
    {
        (_store.Dialect as IDisposable)?.Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }

    [DatabaseFact]
    public async Task AuditVerifyPassesOnAnIntactChain()
    {
        var (exit, output, error) = await RunAsync("audit", "verify", "--data-dir", _data.Path);
        Assert.True(exit == 0, error);
        Assert.Equal("audit chain intact: 5 events", output.Trim());
    }

    [DatabaseFact]
    public async Task AuditVerifyNamesTheEditedRow()
    {
        await ExecuteAsync("UPDATE audit_events SET subject = 'someone-else' WHERE seq = 3");
        var (exit, _, error) = await RunAsync("audit", "verify", "--data-dir", _data.Path);
        Assert.Equal(1, exit);
        Assert.StartsWith("beacon-server: audit chain broken at event 3: event 3 was altered", error, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task AuditVerifyNamesTheDeletedRow()
    {
        await ExecuteAsync("DELETE FROM audit_events WHERE seq = 2");
        var (exit, _, error) = await RunAsync("audit", "verify", "--data-dir", _data.Path);
        Assert.Equal(1, exit);
        Assert.Contains("audit chain broken at event 2: event 2 is missing (next is 3)", error, StringComparison.Ordinal);
        Assert.Contains("(1 events before it are intact)", error, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task AuditVerifyRefusesADirectoryThatIsNotInitialised()
    {
        using var empty = new TempDirectory("beacon-data-");
        var (exit, _, error) = await RunAsync("audit", "verify", "--data-dir", empty.Path);
        Assert.Equal(1, exit);
        Assert.Contains("is not an initialised data directory", error, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = BeaconServerCli.Run(args, output, error);
        return Task.FromResult((exit, output.ToString(), error.ToString()));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = _store.Dialect.CreateConnection();
        await connection.ExecuteAsync(sql);
    }
}

/// <summary>audit verify on SQLite.</summary>
public sealed class AuditVerifyCommandOnSqlite(SqliteEngine engine) : AuditVerifyCommandTests(engine), IClassFixture<SqliteEngine>;

/// <summary>audit verify on PostgreSQL.</summary>
[RequiresPostgres]
public sealed class AuditVerifyCommandOnPostgres(PostgresEngine engine) : AuditVerifyCommandTests(engine), IClassFixture<PostgresEngine>;
