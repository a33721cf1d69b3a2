using Beacon.Client;
using Beacon.Web.Hosting;
using Beacon.Web.Server;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Beacon.Web.Pages.Admin;

/// <summary>Enrolled hosts (GET /v1/admin/hosts) and enrollment tokens (POST /v1/admin/host-tokens, shown once, never stored here).</summary>
public sealed class HostsModel(ServerApi api, IOptions<WebOptions> options) : AdminPage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public int Offset { get; set; }

    public string? Groups { get; private set; }

    public List<HostRow> Rows { get; private set; } = [];

    public long Total { get; private set; }

    public HostToken? Minted { get; private set; }

    public string? Error { get; private set; }

    public string? KnownHosts { get; private set; }

    public string? UserCa { get; private set; }

    public string ServerUrl => options.Value.PublicServerUrl is { Length: > 0 } url ? url : options.Value.ServerUrl;

    public string Fingerprint => PinnedTls.Normalize(options.Value.ServerFingerprint);

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>The token is rendered in this response only (no redirect, no TempData): it is a credential.</summary>
    public async Task<IActionResult> OnPostTokenAsync(string? groups, string? ttl, CancellationToken cancellationToken)
    {
        Groups = groups;
        var list = (groups ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = await api.PostAsync<HostToken>("v1/admin/host-tokens", new { groups = list, ttl = string.IsNullOrWhiteSpace(ttl) ? null : ttl.Trim() }, cancellationToken);
        Minted = result.Value;
        await LoadAsync(cancellationToken);
        if (!result.Succeeded)
        {
            Error = result.Message;
            Response.StatusCode = result.Status is >= 400 and < 500 ? result.Status : 502;
        }
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var page = await api.GetAsync<OffsetPage<HostRow>>($"v1/admin/hosts?limit={PageSize}&offset={Math.Max(0, Offset)}", cancellationToken);
        Rows = page.Value?.Items ?? [];
        Total = page.Value?.Total ?? 0;
        Error = page.Succeeded ? null : page.Message;
        KnownHosts = (await api.GetTextAsync("v1/trust/known_hosts", cancellationToken))?.Trim();
        UserCa = (await api.GetTextAsync("v1/trust/user-ca.pub", cancellationToken))?.Trim();
    }
}
