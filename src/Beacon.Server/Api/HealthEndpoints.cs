using Beacon.Server.Observability;
using Beacon.Server.Signing;
using Beacon.Server.Storage;

namespace Beacon.Server.Api;

/// <summary>/healthz (the process answers), /readyz (database reachable, CA keys loaded), /metrics (Prometheus text).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", async (IBeaconStore store, CaKeyRing cas, CancellationToken cancellationToken) =>
        {
            var database = await store.IsReachableAsync(cancellationToken);
            var body = $"database: {(database ? "ok" : "unreachable")}\nca keys: loaded ({cas.UserCa.PublicKey.Fingerprint}, {cas.HostCa.PublicKey.Fingerprint})\n";
            return Results.Text(body, statusCode: database ? 200 : 503);
        });
        app.MapGet("/metrics", (ServerMetrics metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        return app;
    }
}
