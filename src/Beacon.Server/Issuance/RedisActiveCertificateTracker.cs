using System.Text.Json;
using Beacon.Server.Observability;
using Beacon.Server.Storage;
using StackExchange.Redis;

namespace Beacon.Server.Issuance;

/// <summary>
/// Tracks live certificates in Redis by public key fingerprint with a TTL equal to the certificate's
/// remaining life. Redis is an index, not a source of truth: when it is down, issuance goes on and
/// the failure is counted.
/// </summary>
public sealed class RedisActiveCertificateTracker : IActiveCertificateTracker, IDisposable
{
    private readonly ConnectionMultiplexer _redis;
    private readonly ServerMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<RedisActiveCertificateTracker> _logger;

    public RedisActiveCertificateTracker(string configuration, ServerMetrics metrics, TimeProvider clock, ILogger<RedisActiveCertificateTracker> logger)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 1000;
        options.SyncTimeout = 1000;
        _redis = ConnectionMultiplexer.Connect(options);
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
    }

    public async Task TrackAsync(CertificateRecord record, CancellationToken cancellationToken)
    {
        var ttl = TimeSpan.FromSeconds(record.ValidBefore - _clock.GetUtcNow().ToUnixTimeSeconds());
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }
        try
        {
            // Serialised, not interpolated: a username is the provider's to choose and may hold quotes.
            var value = JsonSerializer.Serialize(new { serial = record.Serial, username = record.Username, valid_before = record.ValidBefore });
            var set = _redis.GetDatabase().StringSetAsync($"beacon:active:{record.PublicKeyFingerprint}", value, ttl);
            if (await Task.WhenAny(set, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken)) != set)
            {
                // Abandoned, but observed, so its late failure is not an unobserved task exception.
                _ = set.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw new TimeoutException("SET did not complete within a second");
            }
            if (!await set)
            {
                throw new InvalidOperationException("Redis did not apply the SET");
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidOperationException)
        {
            _metrics.RedisFailed();
            _logger.LogWarning("redis unavailable, active certificate {Serial} not tracked: {Reason}", record.Serial, e.Message);
        }
    }

    public void Dispose() => _redis.Dispose();
}
