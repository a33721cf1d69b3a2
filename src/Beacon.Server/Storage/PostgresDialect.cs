using System.Data.Common;
using Npgsql;

namespace Beacon.Server.Storage;

/// <summary>PostgreSQL, for production and several replicas sharing one database.</summary>
public sealed class PostgresDialect(string connectionString) : ISqlDialect, IDisposable
{
    /// <summary>The advisory lock key that serialises audit-chain writers across every replica.</summary>
    private const long AuditChainLock = 0x42454143_4f4e; // "BEACON"

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public string Name => "postgres";

    public DbConnection CreateConnection() => _dataSource.CreateConnection();

    public async Task<DbTransaction> BeginChainTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({AuditChainLock})";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    public bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public bool IsUnavailable(Exception exception) =>
        exception is NpgsqlException and not PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } or TimeoutException or System.Net.Sockets.SocketException;

    public Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _dataSource.Dispose();
}
