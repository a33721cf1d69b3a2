using System.Reflection;
using Dapper;

namespace Beacon.Diag.Storage;

internal sealed partial class SqlDiagStore
{
    private const string MigrationPrefix = "diag-migrations/";

    /// <summary>Applies the embedded migrations for the dialect that have not run yet, each in its own transaction.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS diag_schema_migrations (version INTEGER PRIMARY KEY)", cancellationToken: cancellationToken));
        var assembly = typeof(SqlDiagStore).Assembly;
        var prefix = $"{MigrationPrefix}{dialect.Name}/";
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => (Name: n, Version: int.Parse(n[prefix.Length..].Split('_')[0], System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(m => m.Version);
        foreach (var (name, version) in migrations)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (dialect.Name == "postgres")
            {
                // Two replicas starting together: the second waits here, then sees the version applied.
                await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(74470001)", transaction: transaction, cancellationToken: cancellationToken));
            }
            var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM diag_schema_migrations WHERE version = @Version", new { Version = version }, transaction, cancellationToken: cancellationToken));
            if (applied == 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(Read(assembly, name), transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO diag_schema_migrations (version) VALUES (@Version)", new { Version = version }, transaction, cancellationToken: cancellationToken));
            }
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"missing migration {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
