using System.Globalization;
using Beacon.Diag.Api;
using Beacon.Diag.Hosting;
using Beacon.Diag.Observability;
using Beacon.Diag.Storage;

namespace Beacon.Diag.Ingest;

/// <summary>POST /v1/telemetry: rate limit, read a bounded body, validate strictly, store, 202.</summary>
internal static class TelemetryEndpoint
{
    public static void MapTelemetry(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/v1/telemetry", ReceiveAsync);

    private static async Task<IResult> ReceiveAsync(HttpContext context, DiagOptions options, IngestRateLimits limits,
        IDiagStore store, DiagMetrics metrics, TimeProvider clock, CancellationToken cancellationToken)
    {
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (limits.TryAddress(address) is { } addressWait)
        {
            return TooMany(context, metrics, addressWait, "too many batches from this address");
        }
        TelemetryBatch batch;
        try
        {
            var body = await BoundedBody.ReadJsonAsync(context.Request, options.Limits.MaxBodyBytes, cancellationToken);
            batch = BatchParser.Parse(body, options.Limits.MaxEventsPerBatch);
        }
        catch (BatchRejectedException e)
        {
            metrics.Refused(e.Reason);
            return Problems.Of(e.Status, Problems.TitleFor(e.Status), e.Message, e.Field);
        }
        if (limits.TryClient(batch.Client.Id, address) is { } clientWait)
        {
            return TooMany(context, metrics, clientWait, "too many batches from this client");
        }
        await store.RecordAsync(batch, clock.GetUtcNow(), cancellationToken);
        metrics.Accepted(batch.Events.Count);
        return Results.Json(new { accepted = batch.Events.Count }, statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult TooMany(HttpContext context, DiagMetrics metrics, TimeSpan wait, string detail)
    {
        metrics.Refused("rate_limited");
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Of(429, Problems.TitleFor(429), $"{detail}; retry after {seconds} s");
    }
}
