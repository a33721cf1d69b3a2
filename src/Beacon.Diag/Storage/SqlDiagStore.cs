using System.Data.Common;
using Beacon.Diag.Alerts;
using Beacon.Diag.Ingest;
using Dapper;

namespace Beacon.Diag.Storage;

/// <summary>The store on SQLite or PostgreSQL: the same SQL on both, times as Unix milliseconds.</summary>
internal sealed partial class SqlDiagStore(IDiagDialect dialect) : IDiagStore
{
    /// <summary>Rows a listing returns at most, whatever the data holds.</summary>
    private const int MaxRows = 500;

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return true;
        }
        catch (Exception e) when (e is DbException or IOException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    public async Task RecordAsync(TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var received = receivedAt.ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO diag_clients (id, name, version, os, first_seen_ms, last_seen_ms)
            VALUES (@Id, @Name, @Version, @Os, @Received, @Received)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version, os = excluded.os,
                last_seen_ms = CASE WHEN excluded.last_seen_ms > diag_clients.last_seen_ms THEN excluded.last_seen_ms ELSE diag_clients.last_seen_ms END
            """,
            new { batch.Client.Id, batch.Client.Name, batch.Client.Version, batch.Client.Os, Received = received },
            transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO diag_events (client_id, command, duration_ms, ok, error_code, server_latency_ms, at_ms, received_ms)
            VALUES (@ClientId, @Command, @DurationMs, @Ok, @ErrorCode, @ServerLatencyMs, @AtMs, @Received)
            """,
            batch.Events.Select(e => new
            {
                ClientId = batch.Client.Id,
                e.Command,
                e.DurationMs,
                e.Ok,
                e.ErrorCode,
                e.ServerLatencyMs,
                AtMs = e.At.ToUnixTimeMilliseconds(),
                Received = received,
            }),
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CommandStats>> CommandStatsAsync(DateTimeOffset since, string? command, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CommandStatsRow>(new CommandDefinition(
            $"""
            SELECT command AS Command, COUNT(*) AS Total, SUM(CASE WHEN ok THEN 0 ELSE 1 END) AS Errors,
                CAST(AVG(duration_ms) AS DOUBLE PRECISION) AS AverageDurationMs, MAX(duration_ms) AS MaxDurationMs
            FROM diag_events
            WHERE received_ms >= @Since {(command is null ? "" : "AND command = @Command")}
            GROUP BY command ORDER BY command LIMIT {MaxRows}
            """,
            new { Since = since.ToUnixTimeMilliseconds(), Command = command }, cancellationToken: cancellationToken));
        return rows.Select(r => new CommandStats(r.Command, r.Total, r.Errors, r.AverageDurationMs, r.MaxDurationMs)).ToList();
    }

    public async Task<IReadOnlyList<ClientSeen>> ClientsNotSeenSinceAsync(DateTimeOffset before, string? clientName, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClientRow>(new CommandDefinition(
            $"""
            SELECT id AS Id, name AS Name, version AS Version, last_seen_ms AS LastSeenMs FROM diag_clients
            WHERE last_seen_ms < @Before {(clientName is null ? "" : "AND name = @Name")}
            ORDER BY last_seen_ms, id LIMIT @Limit
            """,
            new { Before = before.ToUnixTimeMilliseconds(), Name = clientName, Limit = Math.Min(limit, 10_000) }, cancellationToken: cancellationToken));
        return rows.Select(r => new ClientSeen(r.Id, r.Name, r.Version, DateTimeOffset.FromUnixTimeMilliseconds(r.LastSeenMs))).ToList();
    }

    public async Task<IReadOnlyList<StoredAlert>> OpenAlertsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AlertRow>(new CommandDefinition(
            $"{AlertColumns} FROM diag_alerts WHERE resolved_ms IS NULL ORDER BY id LIMIT 10000", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToAlert()).ToList();
    }

    public async Task<bool> OpenAlertAsync(FiringAlert alert, DateTimeOffset firedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO diag_alerts (rule, kind, subject, message, fired_ms) VALUES (@Rule, @Kind, @Subject, @Message, @Fired)
            ON CONFLICT (rule, subject) WHERE resolved_ms IS NULL DO NOTHING
            """,
            new { alert.Rule, alert.Kind, alert.Subject, alert.Message, Fired = firedAt.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return inserted == 1;
    }

    public async Task ResolveAlertAsync(long id, DateTimeOffset resolvedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE diag_alerts SET resolved_ms = @Resolved WHERE id = @Id AND resolved_ms IS NULL",
            new { Id = id, Resolved = resolvedAt.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<StoredAlert>> RecentAlertsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AlertRow>(new CommandDefinition(
            $"{AlertColumns} FROM diag_alerts ORDER BY fired_ms DESC, id DESC LIMIT @Limit",
            new { Limit = Math.Clamp(limit, 1, MaxRows) }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToAlert()).ToList();
    }

    public async Task DeleteEventsBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM diag_events WHERE received_ms < @Before",
            new { Before = before.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
    }

    private const string AlertColumns =
        "SELECT id AS Id, rule AS Rule, kind AS Kind, subject AS Subject, message AS Message, fired_ms AS FiredMs, resolved_ms AS ResolvedMs";

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = dialect.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class CommandStatsRow
    {
        public string Command { get; set; } = "";
        public long Total { get; set; }
        public long Errors { get; set; }
        public double AverageDurationMs { get; set; }
        public long MaxDurationMs { get; set; }
    }

    private sealed class ClientRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Version { get; set; } = "";
        public long LastSeenMs { get; set; }
    }

    private sealed class AlertRow
    {
        public long Id { get; set; }
        public string Rule { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Subject { get; set; } = "";
        public string Message { get; set; } = "";
        public long FiredMs { get; set; }
        public long? ResolvedMs { get; set; }

        public StoredAlert ToAlert() => new(Id, Rule, Kind, Subject, Message, DateTimeOffset.FromUnixTimeMilliseconds(FiredMs),
            ResolvedMs is { } resolved ? DateTimeOffset.FromUnixTimeMilliseconds(resolved) : null);
    }
}
