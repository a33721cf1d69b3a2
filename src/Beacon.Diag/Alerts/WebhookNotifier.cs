using System.Net.Http.Json;
using Beacon.Diag.Hosting;
using Beacon.Diag.Observability;

namespace Beacon.Diag.Alerts;

/// <summary>
/// POSTs each alert that starts firing as JSON to Diag:Alerts:WebhookUrl. This is the only outbound
/// HTTP beacon-diag makes (a test checks the source for others).
/// </summary>
internal sealed class WebhookNotifier : IAlertNotifier, IDisposable
{
    private readonly HttpClient? _http;
    private readonly Uri? _url;
    private readonly DiagMetrics _metrics;
    private readonly ILogger<WebhookNotifier> _logger;

    public WebhookNotifier(DiagOptions options, DiagMetrics metrics, ILogger<WebhookNotifier> logger)
    {
        _metrics = metrics;
        _logger = logger;
        if (options.Alerts.WebhookUrl is { Length: > 0 } url)
        {
            _url = new Uri(url);
            _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
            {
                Timeout = TimeSpan.FromSeconds(10),
            };
        }
    }

    public static bool IsValidUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https";

    public async Task NotifyAsync(FiringAlert alert, DateTimeOffset firedAt, CancellationToken cancellationToken)
    {
        if (_http is null)
        {
            return;
        }
        var payload = new WebhookPayload("firing", alert.Rule, alert.Kind, alert.Subject, alert.Message, firedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var response = await _http.PostAsJsonAsync(_url, payload, DiagJsonContext.Default.WebhookPayload, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                _metrics.WebhookFailed();
                _logger.LogWarning("alert webhook answered {Status} for {Rule}/{Subject}", (int)response.StatusCode, alert.Rule, alert.Subject);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _metrics.WebhookFailed();
            _logger.LogWarning("alert webhook failed for {Rule}/{Subject}: {Error}", alert.Rule, alert.Subject, e.Message);
        }
    }

    public void Dispose() => _http?.Dispose();
}

/// <summary>The webhook's JSON body (docs/diag.md).</summary>
internal sealed record WebhookPayload(
    [property: System.Text.Json.Serialization.JsonPropertyName("status")] string Status,
    [property: System.Text.Json.Serialization.JsonPropertyName("rule")] string Rule,
    [property: System.Text.Json.Serialization.JsonPropertyName("kind")] string Kind,
    [property: System.Text.Json.Serialization.JsonPropertyName("subject")] string Subject,
    [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message,
    [property: System.Text.Json.Serialization.JsonPropertyName("fired_at")] string FiredAt);
