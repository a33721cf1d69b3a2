using System.Globalization;
using Beacon.Diag.Hosting;
using Beacon.Diag.Observability;
using Beacon.Diag.Storage;

namespace Beacon.Diag.Alerts;

/// <summary>
/// One evaluation of every rule at the clock's now: alerts that start firing are stored, logged and
/// sent to the webhook once; alerts that stay firing are left alone (de-duplicated); alerts whose
/// condition has cleared are resolved. Old events past the retention are deleted.
/// </summary>
internal sealed class AlertEvaluator(
    IReadOnlyList<AlertRule> rules,
    DiagOptions options,
    IDiagStore store,
    IAlertNotifier notifier,
    DiagMetrics metrics,
    TimeProvider clock,
    ILogger<AlertEvaluator> logger)
{
    /// <summary>Bounds the clients one not-seen rule reports per evaluation.</summary>
    private const int MaxSilentClients = 1000;

    /// <summary>Evaluates the rules once; returns the alerts firing now.</summary>
    public async Task<IReadOnlyList<FiringAlert>> EvaluateAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var firing = new List<FiringAlert>();
        foreach (var rule in rules)
        {
            firing.AddRange(rule switch
            {
                FailureRateRule r => await FailureRateAsync(r, now, cancellationToken),
                NotSeenRule r => await NotSeenAsync(r, now, cancellationToken),
                _ => [],
            });
        }
        var open = await store.OpenAlertsAsync(cancellationToken);
        var openKeys = open.Select(a => (a.Rule, a.Subject)).ToHashSet();
        foreach (var alert in firing.Where(a => !openKeys.Contains((a.Rule, a.Subject))))
        {
            // Another replica may have opened it first; only the one that stored it notifies.
            if (await store.OpenAlertAsync(alert, now, cancellationToken))
            {
                metrics.AlertFired();
                logger.LogWarning("alert firing: {Rule} {Subject}: {Message}", alert.Rule, alert.Subject, alert.Message);
                await notifier.NotifyAsync(alert, now, cancellationToken);
            }
        }
        var firingKeys = firing.Select(a => (a.Rule, a.Subject)).ToHashSet();
        foreach (var stale in open.Where(a => !firingKeys.Contains((a.Rule, a.Subject))))
        {
            await store.ResolveAlertAsync(stale.Id, now, cancellationToken);
            logger.LogInformation("alert resolved: {Rule} {Subject}", stale.Rule, stale.Subject);
        }
        metrics.SetFiring(firing.Count);
        await store.DeleteEventsBeforeAsync(now - options.Retention, cancellationToken);
        return firing;
    }

    private async Task<IEnumerable<FiringAlert>> FailureRateAsync(FailureRateRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stats = await store.CommandStatsAsync(now - rule.Window, rule.Command, cancellationToken);
        return stats
            .Where(s => s.Total >= rule.MinimumCount && (double)s.Errors / s.Total > rule.Threshold)
            .Select(s => new FiringAlert(rule.Name, AlertRules.FailureRate, s.Command,
                $"{s.Command}: {s.Errors} of {s.Total} failed in the last {Describe(rule.Window)} (threshold {rule.Threshold.ToString("0.###", CultureInfo.InvariantCulture)})"));
    }

    private async Task<IEnumerable<FiringAlert>> NotSeenAsync(NotSeenRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var clients = await store.ClientsNotSeenSinceAsync(now - rule.After, rule.ClientName, MaxSilentClients, cancellationToken);
        return clients.Select(c => new FiringAlert(rule.Name, AlertRules.NotSeen, c.Id,
            $"{c.Name} {c.Id} not seen since {c.LastSeen.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} (more than {Describe(rule.After)})"));
    }

    internal static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays.ToString(CultureInfo.InvariantCulture)} d"
        : span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours.ToString(CultureInfo.InvariantCulture)} h"
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min"
        : $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
}
