namespace Beacon.Diag.Ingest;

/// <summary>A batch refused as sent: the status to answer, the metrics reason, the field at fault and why.</summary>
internal sealed class BatchRejectedException(int status, string reason, string? field, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    /// <summary>The refusal reason label on /metrics: malformed, too_large, too_many_events, invalid_field, unknown_field, unsupported_media_type.</summary>
    public string Reason { get; } = reason;

    public string? Field { get; } = field;

    public static BatchRejectedException Invalid(string field, string detail) => new(400, "invalid_field", field, $"{field}: {detail}");
}
