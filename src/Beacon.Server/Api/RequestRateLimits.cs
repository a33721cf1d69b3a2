using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Beacon.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Api;

/// <summary>
/// Per-address limits on certificate requests and on failed authentications (which slow down token
/// guessing). Fixed one-minute windows; a refusal is 429 with Retry-After.
/// </summary>
public sealed class RequestRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _issuance;
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly PartitionedRateLimiter<string> _identities;

    public RequestRateLimits(IOptions<BeaconServerOptions> options)
    {
        var limits = options.Value.Limits;
        _issuance = Create(limits.IssuancePerAddressPerMinute);
        _failures = Create(limits.AuthenticationFailuresPerAddressPerMinute);
        _identities = Create(limits.IssuancePerIdentityPerMinute);
    }

    /// <summary>Takes one issuance from the identity's budget (provider:subject); the retry delay when it is spent.</summary>
    public TimeSpan? IdentityExhausted(string actor) => Acquire(_identities, actor);

    /// <summary>Takes one request from the address's budget; the retry delay when it is spent.</summary>
    public TimeSpan? IssuanceExhausted(IPAddress? address) => Acquire(_issuance, address);

    /// <summary>Whether the address has spent its failure budget (checked without spending).</summary>
    public TimeSpan? AuthenticationFailuresExhausted(IPAddress? address)
    {
        var statistics = _failures.GetStatistics(Key(address));
        return statistics is { CurrentAvailablePermits: <= 0 } ? TimeSpan.FromMinutes(1) : null;
    }

    public void RecordAuthenticationFailure(IPAddress? address) => _failures.AttemptAcquire(Key(address)).Dispose();

    public static IResult TooMany(TimeSpan retryAfter, string detail) =>
        new RetryAfterResult(retryAfter, Problems.Of(429, "Too many requests", detail));

    private static TimeSpan? Acquire(PartitionedRateLimiter<string> limiter, IPAddress? address) => Acquire(limiter, Key(address));

    private static TimeSpan? Acquire(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromMinutes(1);
    }

    private static string Key(IPAddress? address) => address?.ToString() ?? "unknown";

    private static PartitionedRateLimiter<string> Create(int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, perMinute),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        _issuance.Dispose();
        _failures.Dispose();
        _identities.Dispose();
    }

    private sealed class RetryAfterResult(TimeSpan retryAfter, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
