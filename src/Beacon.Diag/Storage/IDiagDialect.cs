using System.Data.Common;

namespace Beacon.Diag.Storage;

/// <summary>What differs between SQLite and PostgreSQL: connections and the migrations folder.</summary>
internal interface IDiagDialect
{
    /// <summary>"sqlite" or "postgres": the migrations folder.</summary>
    string Name { get; }

    DbConnection CreateConnection();
}

/// <summary>SQLite in the data directory (diag.db), WAL.</summary>
internal sealed class SqliteDiagDialect(string path) : IDiagDialect
{
    private readonly string _connectionString = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public string Name => "sqlite";

    public DbConnection CreateConnection()
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection(_connectionString);
        connection.StateChange += (sender, e) =>
        {
            if (e.CurrentState == System.Data.ConnectionState.Open && sender is Microsoft.Data.Sqlite.SqliteConnection opened)
            {
                using var command = opened.CreateCommand();
                // Concurrent batches wait for the write lock inside SQLite instead of failing at once.
                command.CommandText = "PRAGMA busy_timeout=10000; PRAGMA journal_mode=WAL;";
                command.ExecuteNonQuery();
            }
        };
        return connection;
    }
}

/// <summary>PostgreSQL through Npgsql, from Diag:Database:ConnectionString.</summary>
internal sealed class PostgresDiagDialect(string connectionString) : IDiagDialect
{
    public string Name => "postgres";

    public DbConnection CreateConnection() => new Npgsql.NpgsqlConnection(connectionString);
}
