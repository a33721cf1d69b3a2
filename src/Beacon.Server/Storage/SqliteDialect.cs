using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Beacon.Server.Storage;

/// <summary>SQLite, the embedded default: one file in the data directory.</summary>
public sealed class SqliteDialect(string path) : ISqlDialect
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public string Name => "sqlite";

    /// <summary>How long a statement waits for another writer's lock inside SQLite before failing with SQLITE_BUSY.</summary>
    private const int BusyTimeoutMs = 30_000;

    public DbConnection CreateConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        // Without a busy timeout SQLite reports a held write lock at once and Microsoft.Data.Sqlite retries
        // after sleeping 150 ms: concurrent issuances then queue in 150 ms steps (p99 over a second in
        // beacon-bench issuance). SQLite's own busy handler retries within milliseconds.
        connection.StateChange += (sender, e) =>
        {
            if (e.CurrentState == System.Data.ConnectionState.Open && sender is SqliteConnection opened)
            {
                using var command = opened.CreateCommand();
                command.CommandText = $"PRAGMA busy_timeout={BusyTimeoutMs}";
                command.ExecuteNonQuery();
            }
        };
        return connection;
    }

    public async Task<DbTransaction> BeginChainTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE takes the write lock up front, so two writers never read the same chain head.
        var sqlite = (SqliteConnection)connection;
        await Task.CompletedTask;
        return sqlite.BeginTransaction(deferred: false);
    }

    public bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19 } e && e.Message.Contains("UNIQUE", StringComparison.Ordinal);

    public bool IsUnavailable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 or 8 or 10 or 11 or 13 or 14 or 26 } or UnauthorizedAccessException or IOException;

    public async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        // WAL lets readers run beside the writer; synchronous=FULL makes each commit durable before we answer.
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
