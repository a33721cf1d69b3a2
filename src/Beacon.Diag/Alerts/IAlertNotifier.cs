namespace Beacon.Diag.Alerts;

/// <summary>Tells someone that an alert started firing.</summary>
internal interface IAlertNotifier
{
    /// <summary>Delivers the alert; failures are the notifier's to log, never the evaluator's to handle.</summary>
    Task NotifyAsync(FiringAlert alert, DateTimeOffset firedAt, CancellationToken cancellationToken);
}
