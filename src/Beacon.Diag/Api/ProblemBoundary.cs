using System.Data.Common;

namespace Beacon.Diag.Api;

/// <summary>
/// The last guard: a request Kestrel refuses keeps its 4xx, a database outage is 503 problem+json,
/// and nothing else leaks an exception to the client.
/// </summary>
internal sealed class ProblemBoundary(RequestDelegate next, ILogger<ProblemBoundary> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await Problems.Of(e.StatusCode, Problems.TitleFor(e.StatusCode), "the request could not be read").ExecuteAsync(context);
        }
        catch (Exception e) when (e is DbException or IOException or TimeoutException && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError("storage unavailable: {Error}", e.Message);
            await Problems.Of(503, Problems.TitleFor(503), "the diagnostic store is unavailable; retry later").ExecuteAsync(context);
        }
    }
}
