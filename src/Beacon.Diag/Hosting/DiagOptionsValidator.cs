using Beacon.Diag.Alerts;

namespace Beacon.Diag.Hosting;

/// <summary>Checks the options once at start, so a bad value stops the server with a message instead of misbehaving later.</summary>
internal static class DiagOptionsValidator
{
    /// <exception cref="DiagConfigurationException">A value is out of range; the message names its key.</exception>
    public static void Validate(DiagOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Database.ConnectionString) && string.IsNullOrWhiteSpace(options.DataDir))
        {
            throw new DiagConfigurationException("Diag:DataDir is not set (give --data-dir) and no Diag:Database:ConnectionString either");
        }
        var limits = options.Limits;
        Range("Diag:Limits:MaxBodyBytes", limits.MaxBodyBytes, 1024, 16 * 1024 * 1024);
        Range("Diag:Limits:MaxEventsPerBatch", limits.MaxEventsPerBatch, 1, 10_000);
        Range("Diag:Limits:BatchesPerClientPerMinute", limits.BatchesPerClientPerMinute, 1, 1_000_000);
        Range("Diag:Limits:BatchesPerAddressPerMinute", limits.BatchesPerAddressPerMinute, 1, 1_000_000);
        if (options.Retention <= TimeSpan.Zero)
        {
            throw new DiagConfigurationException("Diag:Retention must be positive");
        }
        if (options.Alerts.EvaluationInterval < TimeSpan.FromSeconds(1))
        {
            throw new DiagConfigurationException("Diag:Alerts:EvaluationInterval must be at least one second");
        }
        if (options.Alerts.WebhookUrl is { Length: > 0 } webhook && !WebhookNotifier.IsValidUrl(webhook))
        {
            throw new DiagConfigurationException("Diag:Alerts:WebhookUrl must be an absolute http or https URL");
        }
        AlertRules.From(options.Alerts.Rules);
    }

    private static void Range(string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new DiagConfigurationException($"{key} must be between {min} and {max} (is {value})");
        }
    }
}
