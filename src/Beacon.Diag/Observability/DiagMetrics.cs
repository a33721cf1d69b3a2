using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Beacon.Diag.Observability;

/// <summary>Counters for /metrics: events received, batches refused by reason, alerts firing.</summary>
internal sealed class DiagMetrics
{
    /// <summary>Every reason the ingest endpoint refuses for, so each series exists from the start.</summary>
    public static readonly string[] RefusalReasons =
        ["malformed", "too_deep", "too_large", "too_many_events", "invalid_field", "unknown_field", "unsupported_media_type", "rate_limited"];

    private readonly ConcurrentDictionary<string, long> _refused = new(RefusalReasons.Select(r => KeyValuePair.Create(r, 0L)));
    private long _batches;
    private long _events;
    private long _alertsFired;
    private long _alertsFiring;
    private long _webhookFailures;

    public void Accepted(int events)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _events, events);
    }

    public void Refused(string reason) => _refused.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public void AlertFired() => Interlocked.Increment(ref _alertsFired);

    public void SetFiring(int count) => Interlocked.Exchange(ref _alertsFiring, count);

    public void WebhookFailed() => Interlocked.Increment(ref _webhookFailures);

    /// <summary>The Prometheus text exposition format, version 0.0.4.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        Counter(text, "beacon_diag_batches_accepted_total", "Telemetry batches stored.", Interlocked.Read(ref _batches));
        Counter(text, "beacon_diag_events_received_total", "Telemetry events stored.", Interlocked.Read(ref _events));
        text.Append("# HELP beacon_diag_batches_refused_total Telemetry batches refused, by reason.\n# TYPE beacon_diag_batches_refused_total counter\n");
        foreach (var (reason, count) in _refused.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"beacon_diag_batches_refused_total{{reason=\"{reason}\"}} {count}\n");
        }
        text.Append("# HELP beacon_diag_alerts_firing Alerts firing at the last evaluation.\n# TYPE beacon_diag_alerts_firing gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"beacon_diag_alerts_firing {Interlocked.Read(ref _alertsFiring)}\n");
        Counter(text, "beacon_diag_alerts_fired_total", "Alerts that started firing.", Interlocked.Read(ref _alertsFired));
        Counter(text, "beacon_diag_webhook_failures_total", "Alert webhook deliveries that failed.", Interlocked.Read(ref _webhookFailures));
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
}
