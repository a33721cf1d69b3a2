using Beacon.Web.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Beacon.Web.Hosting;

/// <summary>
/// Every page under /Admin: the server decides who is an admin (GET /v1/me is_admin). Hiding links is
/// not the control; this is, and the server refuses every admin call of a non-admin anyway.
/// </summary>
public sealed class AdminOnlyFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var me = await context.HttpContext.RequestServices.GetRequiredService<CurrentUser>().GetAsync(context.HttpContext.RequestAborted);
        if (me.Status == 401)
        {
            context.Result = new ChallengeResult();
            return;
        }
        if (me.Value?.IsAdmin != true)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }
        await next();
    }
}
