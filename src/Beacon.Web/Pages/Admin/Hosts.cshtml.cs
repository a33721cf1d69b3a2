using Beacon.Web.Server;

namespace Beacon.Web.Pages.Admin;

public sealed class HostsModel(ServerApi api) : AdminPage
{
    public string? KnownHosts { get; private set; }

    public string? UserCa { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        KnownHosts = (await api.GetTextAsync("v1/trust/known_hosts", cancellationToken))?.Trim();
        UserCa = (await api.GetTextAsync("v1/trust/user-ca.pub", cancellationToken))?.Trim();
    }
}
