using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Beacon.Web.Pages;

/// <summary>Every error status as a page: 403 for a non-admin on an admin page, 404, 400 for a refused form.</summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public string Title { get; private set; } = "Error";

    public string Explanation { get; private set; } = "";

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        var status = code ?? 500;
        (Title, Explanation) = status switch
        {
            403 => ("Forbidden", "Only administrators may open this page; the certificate server decides who is one."),
            404 => ("Not found", "There is no such page."),
            400 => ("Bad request", "The request was refused (a form without its anti-forgery token, or malformed input)."),
            _ => ("Something went wrong", "The page could not be shown. Try again; if it persists, tell an administrator."),
        };
    }
}
