using Beacon.Web.Server;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;

namespace Beacon.Web.Pages.Admin;

public sealed class CertificatesModel(ServerApi api) : AdminPage
{
    /// <summary>The "user" filter (PageModel has a User property already).</summary>
    [BindProperty(SupportsGet = true, Name = "user")] public string? User_ { get; set; }
    [BindProperty(SupportsGet = true)] public string? Serial { get; set; }
    [BindProperty(SupportsGet = true, Name = "key_id")] public string? KeyId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Principal { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public List<CertificateRow> Rows { get; private set; } = [];

    public string? Error { get; private set; }

    public PagerModel Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = new QueryBuilder();
        HistoryModel.Add(query, "user", User_);
        HistoryModel.Add(query, "serial", Serial);
        HistoryModel.Add(query, "key_id", KeyId);
        HistoryModel.Add(query, "principal", Principal);
        HistoryModel.Add(query, "from", Format.DateToMillis(From)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        HistoryModel.Add(query, "to", Format.DateToMillis(To, addDays: 1)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        HistoryModel.Add(query, "status", Status);
        HistoryModel.Add(query, "after", After);
        var page = await api.GetAsync<Paged<CertificateRow>>("v1/admin/certificates" + query, cancellationToken);
        Rows = page.Value?.Items ?? [];
        Error = page.Succeeded ? null : page.Message;
        Pager = PagerModel.For(Request, "after", page.Value?.Next);
    }

    public async Task<IActionResult> OnPostRevokeAsync(string serial, string? reason, CancellationToken cancellationToken)
    {
        var result = await api.PostAsync<RevocationResult>("v1/admin/revocations",
            new { serial, reason = string.IsNullOrWhiteSpace(reason) ? "revoked from the web dashboard" : reason }, cancellationToken);
        return Done(result, $"certificate {serial} is revoked; KRL version {result.Value?.KrlVersion}");
    }
}
