using System.Data.Common;
using Beacon.Diag.Observability;

namespace Beacon.Diag.Api;

/// <summary>
/// The last guard: a request Kestrel refuses keeps its 4xx, a database outage is 503 problem+json,
/// and nothing else leaks an exception to the client.
/// </summary>
internal sealed class ProblemBoundary(RequestDelegate next, ILogger<ProblemBoundary> logger)
{
    public async Task InvokeAsync(HttpContext context, DiagMetrics metrics)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // Kestrel's own body limit (a chunked body far over Diag:Limits:MaxBodyBytes) lands here.
            var tooLarge = e.StatusCode == StatusCodes.Status413PayloadTooLarge;
            if (tooLarge)
            {
                metrics.Refused("too_large");
            }
            await Problems.Of(e.StatusCode, Problems.TitleFor(e.StatusCode),
                tooLarge ? "the body is larger than the limit" : "the request could not be read").ExecuteAsync(context);
        }
        catch (Exception e) when (e is DbException or IOException or TimeoutException && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError("storage unavailable: {Error}", e.Message);
            await Problems.Of(503, Problems.TitleFor(503), "the diagnostic store is unavailable; retry later").ExecuteAsync(context);
        }
    }
}
