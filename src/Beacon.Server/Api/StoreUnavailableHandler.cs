using Beacon.Server.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace Beacon.Server.Api;

/// <summary>
/// A database outage that escapes an endpoint becomes 503 problem+json, not a 500: the request failed
/// closed and the client may retry. (The signing path maps its own outages; this covers the rest.)
/// </summary>
public sealed class StoreUnavailableHandler(ILogger<StoreUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StoreUnavailableException unavailable)
        {
            return false;
        }
        logger.LogError("database unavailable on {Path}: {Reason}", httpContext.Request.Path, unavailable.InnerException?.Message ?? unavailable.Message);
        await Problems.Of(503, "Database unavailable", "the database could not be reached; try again shortly").ExecuteAsync(httpContext);
        return true;
    }
}
