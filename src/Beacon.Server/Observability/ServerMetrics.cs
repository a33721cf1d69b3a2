using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Beacon.Server.Observability;

/// <summary>
/// The server's counters and latency histogram, rendered in Prometheus text format. Small and
/// dependency-free; label values come from a closed set (provider names, reasons), never user input.
/// </summary>
public sealed class ServerMetrics
{
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly ConcurrentDictionary<(string Provider, string Type), long> _issued = new();
    private readonly ConcurrentDictionary<(string Provider, string Reason), long> _refused = new();
    private readonly long[] _latencyBuckets = new long[Buckets.Length + 1];
    private long _latencyCount;
    private long _latencySumMicros;
    private long _auditWriteFailures;
    private long _redisFailures;

    public void Issued(string provider, string certType) => _issued.AddOrUpdate((provider, certType), 1, (_, n) => n + 1);

    /// <summary>Counts a refusal; <paramref name="reason"/> is a fixed kind (unauthenticated, forbidden, bad_request, unavailable, rate_limited).</summary>
    public void Refused(string provider, string reason) => _refused.AddOrUpdate((provider, reason), 1, (_, n) => n + 1);

    public void AuditWriteFailed() => Interlocked.Increment(ref _auditWriteFailures);

    public void RedisFailed() => Interlocked.Increment(ref _redisFailures);

    public long RedisFailures => Interlocked.Read(ref _redisFailures);

    public void ObserveRequest(TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        var index = Array.FindIndex(Buckets, b => seconds <= b);
        Interlocked.Increment(ref _latencyBuckets[index < 0 ? Buckets.Length : index]);
        Interlocked.Increment(ref _latencyCount);
        Interlocked.Add(ref _latencySumMicros, (long)(seconds * 1_000_000));
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP beacon_certificates_issued_total Certificates issued.\n# TYPE beacon_certificates_issued_total counter\n");
        foreach (var ((provider, type), count) in _issued.OrderBy(kv => kv.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"beacon_certificates_issued_total{{provider=\"{Escape(provider)}\",type=\"{type}\"}} {count}\n");
        }
        text.Append("# HELP beacon_certificates_refused_total Certificate requests refused, by reason.\n# TYPE beacon_certificates_refused_total counter\n");
        foreach (var ((provider, reason), count) in _refused.OrderBy(kv => kv.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"beacon_certificates_refused_total{{provider=\"{Escape(provider)}\",reason=\"{reason}\"}} {count}\n");
        }
        text.Append("# HELP beacon_audit_write_failures_total Audit events that could not be written (the request was refused).\n# TYPE beacon_audit_write_failures_total counter\n");
        text.Append(CultureInfo.InvariantCulture, $"beacon_audit_write_failures_total {Interlocked.Read(ref _auditWriteFailures)}\n");
        text.Append("# HELP beacon_redis_failures_total Redis operations that failed (issuance went on).\n# TYPE beacon_redis_failures_total counter\n");
        text.Append(CultureInfo.InvariantCulture, $"beacon_redis_failures_total {RedisFailures}\n");
        text.Append("# HELP beacon_http_request_duration_seconds API request latency.\n# TYPE beacon_http_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _latencyBuckets[i]);
            text.Append(CultureInfo.InvariantCulture, $"beacon_http_request_duration_seconds_bucket{{le=\"{Buckets[i]}\"}} {cumulative}\n");
        }
        cumulative += Interlocked.Read(ref _latencyBuckets[Buckets.Length]);
        text.Append(CultureInfo.InvariantCulture, $"beacon_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}\n");
        text.Append(CultureInfo.InvariantCulture, $"beacon_http_request_duration_seconds_sum {Interlocked.Read(ref _latencySumMicros) / 1_000_000.0}\n");
        text.Append(CultureInfo.InvariantCulture, $"beacon_http_request_duration_seconds_count {Interlocked.Read(ref _latencyCount)}\n");
        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
