using System.Text.Json;
using Beacon.Web.Server;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;

namespace Beacon.Web.Pages.Admin;

public sealed class AuditModel(ServerApi api) : AdminPage
{
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public string? Subject { get; set; }
    [BindProperty(SupportsGet = true)] public string? Outcome { get; set; }
    [BindProperty(SupportsGet = true)] public string? Before { get; set; }

    public List<AuditRow> Rows { get; private set; } = [];

    public string? Error { get; private set; }

    public AuditVerification? Verification { get; private set; }

    public PagerModel Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = new QueryBuilder();
        HistoryModel.Add(query, "kind", Kind);
        HistoryModel.Add(query, "actor", Actor);
        HistoryModel.Add(query, "subject", Subject);
        HistoryModel.Add(query, "outcome", Outcome);
        HistoryModel.Add(query, "before", Before);
        var page = await api.GetAsync<Paged<AuditRow>>("v1/admin/audit" + query, cancellationToken);
        Rows = page.Value?.Items ?? [];
        Error = page.Succeeded ? null : page.Message;
        Pager = PagerModel.For(Request, "before", page.Value?.Next);
        if (TempData["Verification"] is string json)
        {
            Verification = JsonSerializer.Deserialize<AuditVerification>(json);
        }
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        var result = await api.PostAsync<AuditVerification>("v1/admin/audit/verify", null, cancellationToken);
        if (result.Value is { } verification)
        {
            TempData["Verification"] = JsonSerializer.Serialize(verification);
        }
        return Done(result, result.Value?.Intact == true ? "the audit chain is intact" : "the audit chain is BROKEN");
    }
}
