using Beacon.Client;
using Beacon.Web.Hosting;
using Beacon.Web.Server;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Beacon.Web.Pages;

public sealed class SetupModel(IOptions<WebOptions> options, ServerApi api) : PageModel
{
    public string ServerUrl => options.Value.PublicServerUrl is { Length: > 0 } url ? url : options.Value.ServerUrl;

    /// <summary>Colon-separated, as people compare fingerprints by eye.</summary>
    public string Fingerprint => string.Join(':', Enumerable.Range(0, 32).Select(i => PinnedTls.Normalize(options.Value.ServerFingerprint).Substring(i * 2, 2)));

    public string Authority => options.Value.Authority;

    public string? KnownHosts { get; private set; }

    public string Commands =>
        $"""
        beacon init --server {ServerUrl} --fingerprint {PinnedTls.Normalize(options.Value.ServerFingerprint)}
        beacon login
        beacon status
        ssh {User.Identity?.Name ?? "USER"}@HOST
        """;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        KnownHosts = (await api.GetTextAsync("v1/trust/known_hosts", cancellationToken))?.Trim();
}
