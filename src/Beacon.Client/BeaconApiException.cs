namespace Beacon.Client;

/// <summary>The server refused a request (a problem+json answer) or could not be reached.</summary>
public sealed class BeaconApiException(int status, string title, string detail, Exception? inner = null)
    : Exception(status == 0 ? $"{title}: {detail}" : $"{status} {title}: {detail}", inner)
{
    /// <summary>The HTTP status, or 0 when the server was not reached (network, TLS pin mismatch).</summary>
    public int Status { get; } = status;

    public string Title { get; } = title;

    /// <summary>What was refused and why, as the server words it.</summary>
    public string Detail { get; } = detail;

    /// <summary>Seconds to wait before retrying, from a 429's Retry-After.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
