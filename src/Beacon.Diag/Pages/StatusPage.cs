using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Beacon.Diag.Storage;

namespace Beacon.Diag.Pages;

/// <summary>
/// GET /: recent alerts and per-command aggregates over the last 24 hours, rendered on the server.
/// Every value is HTML-encoded and the page runs no script: its CSP forbids everything but itself.
/// </summary>
internal static class StatusPage
{
    /// <summary>No script, no style, no frame, no form: the page is text and tables.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly TimeSpan Period = TimeSpan.FromHours(24);

    public static void MapStatusPage(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/", async (HttpContext context, IDiagStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var now = clock.GetUtcNow();
            var stats = await store.CommandStatsAsync(now - Period, null, cancellationToken);
            var alerts = await store.RecentAlertsAsync(50, cancellationToken);
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            return Results.Content(Render(now, stats, alerts), "text/html; charset=utf-8");
        });

    internal static string Render(DateTimeOffset now, IReadOnlyList<CommandStats> stats, IReadOnlyList<StoredAlert> alerts)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>beacon-diag</title></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>beacon-diag</h1>\n<p>As of {E(Time(now))}.</p>\n");
        html.Append("<h2>Recent alerts</h2>\n");
        if (alerts.Count == 0)
        {
            html.Append("<p>No alerts.</p>\n");
        }
        else
        {
            html.Append("<table><tr><th>state</th><th>rule</th><th>subject</th><th>fired</th><th>resolved</th><th>message</th></tr>\n");
            foreach (var a in alerts)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{(a.ResolvedAt is null ? "firing" : "resolved")}</td><td>{E(a.Rule)}</td><td>{E(a.Subject)}</td><td>{E(Time(a.FiredAt))}</td><td>{E(a.ResolvedAt is { } r ? Time(r) : "")}</td><td>{E(a.Message)}</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        html.Append("<h2>Commands, last 24 hours</h2>\n");
        if (stats.Count == 0)
        {
            html.Append("<p>No events.</p>\n");
        }
        else
        {
            html.Append("<table><tr><th>command</th><th>events</th><th>errors</th><th>error rate</th><th>mean ms</th><th>max ms</th></tr>\n");
            foreach (var s in stats)
            {
                var rate = s.Total == 0 ? 0 : (double)s.Errors / s.Total;
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{E(s.Command)}</td><td>{s.Total}</td><td>{s.Errors}</td><td>{rate:P1}</td><td>{s.AverageDurationMs:0}</td><td>{s.MaxDurationMs}</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
