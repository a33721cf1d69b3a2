using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Beacon.Bench.Issuance;

/// <summary>
/// The rate of durable single-row commits on one connection, on the same disk and settings the server
/// uses (SQLite: WAL, synchronous=FULL; PostgreSQL: its durable defaults). Every issuance commits under
/// the audit chain's lock, so this bounds how many certificates per second one database can record.
/// </summary>
internal static class CommitProbe
{
    public static double Sqlite(string directory, TimeSpan duration)
    {
        var path = Path.Combine(directory, "commit-probe.db");
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE probe (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO probe (payload) VALUES ($payload)";
            insert.Parameters.AddWithValue("$payload", new string('x', 600));
            var count = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                insert.Transaction = transaction;
                insert.ExecuteNonQuery();
                transaction.Commit();
                count++;
            }
            var rate = count / watch.Elapsed.TotalSeconds;
            SqliteConnection.ClearAllPools();
            return rate;
        }
    }

    public static async Task<double> PostgresAsync(string connectionString, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var create = new NpgsqlCommand("CREATE TABLE commit_probe (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var insert = new NpgsqlCommand("INSERT INTO commit_probe (payload) VALUES (@payload)", connection);
        insert.Parameters.AddWithValue("payload", new string('x', 600));
        await insert.PrepareAsync(cancellationToken);
        var count = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration && !cancellationToken.IsCancellationRequested)
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
            count++;
        }
        var rate = count / watch.Elapsed.TotalSeconds;
        await using (var drop = new NpgsqlCommand("DROP TABLE commit_probe", connection))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }
        return rate;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
