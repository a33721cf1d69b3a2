using Beacon.Server.Signing;
using Beacon.Server.Storage;
using Beacon.Server.Trust;

namespace Beacon.Server.CaLifecycle;

/// <summary>
/// Keeps this replica's CA key ring and the trust bundle current. At start: stores the data directory's
/// CA keys on a first start, loads the ring and publishes a bundle if the trust changed. Then every
/// <see cref="Interval"/>: reloads the ring (a step made by another replica or by `beacon-server ca`)
/// and, when the keys or the policy changed or the last publication failed, publishes again.
/// Publication failures are logged, never fatal: issuance goes on, and hosts keep their last bundle.
/// </summary>
public sealed class TrustRefresher(CaKeyRing ring, ITrustStore trust, IBeaconStore store, TrustBundlePublisher publisher, TimeProvider clock,
    ILogger<TrustRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _checking = new(1, 1);
    private long _ringGeneration = -1;
    private long _policyVersion = -1;
    private bool _publishPending = true;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ring.ImportSeedsAsync(trust, clock.GetUtcNow().ToUnixTimeMilliseconds(), "server", cancellationToken);
        // A key that cannot be opened must stop the server before it serves: it would sign with nothing.
        await ring.RefreshAsync(trust, cancellationToken);
        await CheckAsync("start", cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, stoppingToken);
                await CheckAsync("refresh", stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Reloads the ring now and publishes if the trust changed (after a step made in this process, and in tests).</summary>
    public async Task CheckAsync(string reason, CancellationToken cancellationToken)
    {
        await _checking.WaitAsync(cancellationToken);
        try
        {
            try
            {
                await ring.RefreshAsync(trust, cancellationToken);
            }
            catch (Exception e) when (e is StoreUnavailableException or Ca.CaException)
            {
                logger.LogError("the CA keys could not be reloaded; signing goes on with the keys loaded before: {Reason}", e.Message);
            }
            var policyVersion = (await store.LatestPolicyAsync(cancellationToken))?.Version ?? 0;
            if (!_publishPending && ring.Generation == _ringGeneration && policyVersion == _policyVersion)
            {
                return;
            }
            var why = _policyVersion >= 0 && policyVersion != _policyVersion ? "policy" : reason;
            _ringGeneration = ring.Generation;
            _policyVersion = policyVersion;
            try
            {
                if (await publisher.PublishIfChangedAsync("server", why, cancellationToken) is { } bundle)
                {
                    logger.LogInformation("trust bundle version {Version} {State} ({Reason})", bundle.Version, bundle.IsPublished ? "published" : "staged as a draft", why);
                }
                _publishPending = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _publishPending = true;
                logger.LogError("the trust bundle could not be published (retried in {Interval}s): {Reason}", Interval.TotalSeconds, e.Message);
            }
        }
        catch (StoreUnavailableException e)
        {
            _publishPending = true;
            logger.LogError("trust refresh: {Reason}", e.InnerException?.Message ?? e.Message);
        }
        finally
        {
            _checking.Release();
        }
    }
}
