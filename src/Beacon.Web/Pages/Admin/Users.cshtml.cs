using Beacon.Web.Server;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;

namespace Beacon.Web.Pages.Admin;

public sealed class UsersModel(ServerApi api) : AdminPage
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public List<UserRow> Rows { get; private set; } = [];

    public string? Error { get; private set; }

    public PagerModel Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = new QueryBuilder();
        HistoryModel.Add(query, "q", Q);
        HistoryModel.Add(query, "after", After);
        var page = await api.GetAsync<Paged<UserRow>>("v1/admin/users" + query, cancellationToken);
        Rows = page.Value?.Items ?? [];
        Error = page.Succeeded ? null : page.Message;
        Pager = PagerModel.For(Request, "after", page.Value?.Next);
    }

    public async Task<IActionResult> OnPostDisableAsync(string username, string? reason, CancellationToken cancellationToken) =>
        Done(await api.PostAsync<Dictionary<string, object>>($"v1/admin/users/{Uri.EscapeDataString(username)}/disable",
            new { reason = string.IsNullOrWhiteSpace(reason) ? null : reason }, cancellationToken), $"{username} is disabled");

    public async Task<IActionResult> OnPostEnableAsync(string username, CancellationToken cancellationToken) =>
        Done(await api.PostAsync<Dictionary<string, object>>($"v1/admin/users/{Uri.EscapeDataString(username)}/enable", null, cancellationToken), $"{username} is enabled");

    public async Task<IActionResult> OnPostRevokeAllAsync(string username, CancellationToken cancellationToken)
    {
        var result = await api.PostAsync<RevocationResult>("v1/admin/revocations", new { username, reason = "revoked from the web dashboard" }, cancellationToken);
        return Done(result, $"revoked {result.Value?.RevokedSerials.Count ?? 0} live certificate(s) of {username}; KRL version {result.Value?.KrlVersion}");
    }
}
