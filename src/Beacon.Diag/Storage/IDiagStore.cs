using Beacon.Diag.Alerts;
using Beacon.Diag.Ingest;

namespace Beacon.Diag.Storage;

/// <summary>beacon-diag's own storage (SQLite or PostgreSQL): events, clients and alerts.</summary>
internal interface IDiagStore
{
    /// <summary>Creates or upgrades the schema.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Whether the database answers.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);

    /// <summary>Stores a batch and marks its client seen at <paramref name="receivedAt"/>, in one transaction.</summary>
    Task RecordAsync(TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>Per command (or the one given): events and failures received since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<CommandStats>> CommandStatsAsync(DateTimeOffset since, string? command, CancellationToken cancellationToken);

    /// <summary>Clients (of one program, or any) last seen before <paramref name="before"/>, longest silent first.</summary>
    Task<IReadOnlyList<ClientSeen>> ClientsNotSeenSinceAsync(DateTimeOffset before, string? clientName, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredAlert>> OpenAlertsAsync(CancellationToken cancellationToken);

    /// <summary>Records an alert as firing; false when it already was (another replica stored it first).</summary>
    Task<bool> OpenAlertAsync(FiringAlert alert, DateTimeOffset firedAt, CancellationToken cancellationToken);

    Task ResolveAlertAsync(long id, DateTimeOffset resolvedAt, CancellationToken cancellationToken);

    /// <summary>The most recent alerts, firing or resolved, newest first.</summary>
    Task<IReadOnlyList<StoredAlert>> RecentAlertsAsync(int limit, CancellationToken cancellationToken);

    Task DeleteEventsBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>A command's counts over a period.</summary>
internal sealed record CommandStats(string Command, long Total, long Errors, double AverageDurationMs, long MaxDurationMs);

internal sealed record ClientSeen(string Id, string Name, string Version, DateTimeOffset LastSeen);

internal sealed record StoredAlert(long Id, string Rule, string Kind, string Subject, string Message, DateTimeOffset FiredAt, DateTimeOffset? ResolvedAt);
