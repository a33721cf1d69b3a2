using Beacon.Web.Server;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Beacon.Web.Pages;

public sealed class IndexModel(CurrentUser current, ServerApi api) : PageModel
{
    public Me? Me { get; private set; }

    public string? Error { get; private set; }

    public List<CertificateRow> Live { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var me = await current.GetAsync(cancellationToken);
        Me = me.Value;
        Error = me.Message;
        var live = await api.GetAsync<Paged<CertificateRow>>("v1/me/history?status=live&limit=20", cancellationToken);
        Live = live.Value?.Items ?? [];
    }
}
