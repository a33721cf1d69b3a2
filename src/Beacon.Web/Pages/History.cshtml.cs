using Beacon.Web.Server;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Beacon.Web.Pages;

public sealed class HistoryModel(ServerApi api) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Principal { get; set; }
    [BindProperty(SupportsGet = true)] public string? Serial { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public List<CertificateRow> Rows { get; private set; } = [];

    public string? Error { get; private set; }

    public PagerModel Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = new QueryBuilder();
        Add(query, "status", Status);
        Add(query, "principal", Principal);
        Add(query, "serial", Serial);
        Add(query, "from", Format.DateToMillis(From)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(query, "to", Format.DateToMillis(To, addDays: 1)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(query, "after", After);
        var page = await api.GetAsync<Paged<CertificateRow>>("v1/me/history" + query, cancellationToken);
        Rows = page.Value?.Items ?? [];
        Error = page.Succeeded ? null : page.Message;
        Pager = PagerModel.For(Request, "after", page.Value?.Next);
    }

    internal static void Add(QueryBuilder query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Add(name, value.Trim());
        }
    }
}
