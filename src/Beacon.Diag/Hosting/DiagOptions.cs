namespace Beacon.Diag.Hosting;

/// <summary>The "Diag" configuration section: beacon-diag reads nothing else (beacon-server's "Beacon" section is not its concern).</summary>
public sealed class DiagOptions
{
    public const string Section = "Diag";

    /// <summary>Where the SQLite database lives (diag.db); set by --data-dir.</summary>
    public string? DataDir { get; set; }

    public DiagDatabaseOptions Database { get; set; } = new();

    public DiagLimitOptions Limits { get; set; } = new();

    public AlertOptions Alerts { get; set; } = new();

    /// <summary>Events older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>SQLite in the data directory unless a PostgreSQL connection string is given.</summary>
public sealed class DiagDatabaseOptions
{
    /// <summary>A PostgreSQL connection string (Npgsql syntax); empty means SQLite in the data directory.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>What one batch and one client may send.</summary>
public sealed class DiagLimitOptions
{
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    public int MaxEventsPerBatch { get; set; } = 100;

    public int BatchesPerClientPerMinute { get; set; } = 60;

    public int BatchesPerAddressPerMinute { get; set; } = 600;
}

/// <summary>Alert rules, how often they are evaluated and where firing alerts are posted.</summary>
public sealed class AlertOptions
{
    /// <summary>An http(s) URL that receives a JSON POST for each alert that starts firing; none means log only.</summary>
    public string? WebhookUrl { get; set; }

    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromMinutes(1);

    public List<AlertRuleOptions> Rules { get; set; } = [];
}

/// <summary>One rule as configured; <see cref="Alerts.AlertRules"/> checks and converts it.</summary>
public sealed class AlertRuleOptions
{
    /// <summary>A short identifier, unique among the rules; it names the alert in webhooks and logs.</summary>
    public string? Name { get; set; }

    /// <summary>"failure-rate" or "not-seen".</summary>
    public string? Kind { get; set; }

    /// <summary>failure-rate: the command, or "*" for each command separately (default).</summary>
    public string? Command { get; set; }

    /// <summary>failure-rate: fires when errors / events is above this (0 to 1).</summary>
    public double Threshold { get; set; }

    /// <summary>failure-rate: the window counted back from now.</summary>
    public TimeSpan Window { get; set; }

    /// <summary>failure-rate: fewer events than this in the window never fire.</summary>
    public int MinimumCount { get; set; } = 1;

    /// <summary>not-seen: "beacon" or "beacon-host" (default: any client).</summary>
    public string? ClientName { get; set; }

    /// <summary>not-seen: fires for a client silent longer than this.</summary>
    public TimeSpan After { get; set; }
}
