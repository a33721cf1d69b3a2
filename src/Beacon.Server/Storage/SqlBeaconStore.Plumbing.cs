using System.Data.Common;
using System.Reflection;
using Beacon.Server.Audit;
using Dapper;

namespace Beacon.Server.Storage;

// Connections, transactions, the audit-chain append and migrations.
public sealed partial class SqlBeaconStore
{
    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = dialect.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (dialect.IsUnavailable(e) || e is DbException)
        {
            await connection.DisposeAsync();
            throw new StoreUnavailableException($"the {dialect.Name} database is unavailable", e);
        }
    }

    private async Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        try
        {
            return await work(connection);
        }
        catch (Exception e) when (dialect.IsUnavailable(e))
        {
            throw new StoreUnavailableException($"the {dialect.Name} database is unavailable", e);
        }
    }

    /// <summary>Runs work in a transaction that holds the audit-chain lock, committing at the end.</summary>
    private async Task<T> InChainAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        try
        {
            await using var transaction = await dialect.BeginChainTransactionAsync(connection, cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (Exception e) when (dialect.IsUnavailable(e))
        {
            throw new StoreUnavailableException($"the {dialect.Name} database is unavailable", e);
        }
    }

    private async Task<AuditEvent> AppendInTransactionAsync(DbConnection connection, DbTransaction transaction, AuditDraft draft, CancellationToken cancellationToken)
    {
        var (seq, hash) = await ChainHeadAsync(connection, transaction, cancellationToken);
        var audit = AuditChain.Next(seq, hash, clock.GetUtcNow().ToUnixTimeMilliseconds(), draft);
        await InsertAuditAsync(connection, transaction, audit, cancellationToken);
        return audit;
    }

    /// <summary>The last event's sequence number and hash (0 and the genesis hash on an empty log); read under the chain lock.</summary>
    private static async Task<(long Seq, string Hash)> ChainHeadAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken = default)
    {
        var head = await connection.QuerySingleOrDefaultAsync<(long Seq, string Hash)?>(new CommandDefinition(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1", transaction: transaction, cancellationToken: cancellationToken));
        return (head?.Seq ?? 0, head?.Hash ?? AuditChain.Genesis);
    }

    private static Task InsertAuditAsync(DbConnection connection, DbTransaction transaction, AuditEvent audit, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_events (seq, occurred_at, kind, outcome, actor, subject, details, prev_hash, hash) " +
            "VALUES (@Seq, @OccurredAt, @Kind, @Outcome, @Actor, @Subject, @Details, @PrevHash, @Hash)",
            audit, transaction, cancellationToken: cancellationToken));

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await dialect.PrepareAsync(connection, cancellationToken);
        // The chain lock also serialises replicas that start at once and would migrate together.
        await using var transaction = await dialect.BeginChainTransactionAsync(connection, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
            transaction: transaction, cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();
        foreach (var (version, sql) in Migrations(dialect.Name))
        {
            if (applied.Contains(version))
            {
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @now)",
                new { version, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The embedded migrations for a dialect, in version order (file names start with the version).</summary>
    internal static IEnumerable<(long Version, string Sql)> Migrations(string dialectName)
    {
        var assembly = typeof(SqlBeaconStore).Assembly;
        var prefix = $"migrations/{dialectName}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: long.Parse(n[prefix.Length..].Split('_')[0], System.Globalization.CultureInfo.InvariantCulture), Name: n))
            .OrderBy(m => m.Version)
            .Select(m => (m.Version, Read(assembly, m.Name)));
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
