using System.Data.Common;

namespace Beacon.Server.Storage;

/// <summary>What differs between the database engines; everything else is shared SQL.</summary>
public interface ISqlDialect
{
    /// <summary>The folder of embedded migrations (Storage/Migrations/NAME).</summary>
    string Name { get; }

    DbConnection CreateConnection();

    /// <summary>Begins a transaction that serialises writers of the audit chain, across processes too.</summary>
    Task<DbTransaction> BeginChainTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Whether the exception is a unique-key violation.</summary>
    bool IsUniqueViolation(Exception exception);

    /// <summary>Whether the exception means the database is unreachable or cannot be written.</summary>
    bool IsUnavailable(Exception exception);

    /// <summary>Runs once per process before migrations (journal mode and the like).</summary>
    Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken);
}
