using System.Threading.RateLimiting;
using Beacon.Diag.Hosting;

namespace Beacon.Diag.Ingest;

/// <summary>
/// Batches per minute, counted twice: per remote address (before the body is read, so a flood costs
/// little) and per client id and address together, so one client flooding from an address does not
/// use up the allowance of another client behind the same address.
/// </summary>
internal sealed class IngestRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perClient;

    public IngestRateLimits(DiagOptions options)
    {
        _perAddress = Create(options.Limits.BatchesPerAddressPerMinute);
        _perClient = Create(options.Limits.BatchesPerClientPerMinute);
    }

    /// <summary>Null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAddress(string address) => Acquire(_perAddress, address);

    /// <summary>Null when allowed, else how long to wait.</summary>
    public TimeSpan? TryClient(string clientId, string address) => Acquire(_perClient, clientId + "\n" + address);

    private static TimeSpan? Acquire(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    private static PartitionedRateLimiter<string> Create(int permitsPerMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        _perAddress.Dispose();
        _perClient.Dispose();
    }
}
