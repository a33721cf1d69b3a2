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

    public DbConnection CreateConnection() => new SqliteConnection(_connectionString);

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
