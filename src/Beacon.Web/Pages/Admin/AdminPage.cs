using Beacon.Web.Server;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Beacon.Web.Pages.Admin;

/// <summary>What admin pages share: after an action, a notice and a redirect back to the same list (POST-redirect-GET).</summary>
public abstract class AdminPage : PageModel
{
    protected IActionResult Done<T>(ApiResult<T> result, string success)
    {
        if (result.Succeeded)
        {
            TempData["Notice"] = success;
        }
        else
        {
            TempData["Error"] = result.Message;
        }
        var query = new Microsoft.AspNetCore.Http.Extensions.QueryBuilder(Request.Query.Where(q => q.Key != "handler")
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))));
        return Redirect(Request.Path + query.ToString());
    }
}
