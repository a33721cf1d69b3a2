using Beacon.Diag.Storage;

namespace Beacon.Diag.Observability;

/// <summary>/healthz (the database answers) and /metrics (Prometheus text).</summary>
internal static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", async (IDiagStore store, CancellationToken cancellationToken) =>
            await store.PingAsync(cancellationToken)
                ? Results.Text("ok\n")
                : Results.Text("database unavailable\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        endpoints.MapGet("/metrics", (DiagMetrics metrics) =>
            Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
    }
}
