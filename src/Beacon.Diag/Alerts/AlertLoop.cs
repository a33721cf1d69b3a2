using Beacon.Diag.Hosting;

namespace Beacon.Diag.Alerts;

/// <summary>Evaluates the alert rules every Diag:Alerts:EvaluationInterval on the injected clock (a test's fake clock drives it).</summary>
internal sealed class AlertLoop(AlertEvaluator evaluator, DiagOptions options, TimeProvider clock, ILogger<AlertLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Alerts.EvaluationInterval, clock, stoppingToken);
                await evaluator.EvaluateAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The store is away or a query failed: try again at the next tick rather than stop alerting
                // (an exception escaping a BackgroundService would stop the whole server).
                logger.LogError("alert evaluation failed: {Error}", e.Message);
            }
        }
    }
}
