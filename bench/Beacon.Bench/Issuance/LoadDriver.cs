using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace Beacon.Bench.Issuance;

/// <summary>
/// Drives POST /v1/certificates/user, each request with a fresh token from the pool and a pre-built body.
/// Closed loop: N clients, one connection each, each sending its next request when the last one answered
/// (the peak rate). Open loop: requests start on a fixed schedule whatever the answers, and latency counts
/// from the scheduled start, so a stall is charged to every request it delays (no coordinated omission).
/// Every run is bounded by its duration and by the pool's size.
/// </summary>
internal static class LoadDriver
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task<LoadResult> ClosedLoopAsync(IReadOnlyList<HttpClient> clients, TokenPool tokens, IReadOnlyList<byte[]> bodies,
        TimeSpan duration, CancellationToken cancellationToken)
    {
        var recorder = new Recorder();
        var watch = Stopwatch.StartNew();
        var workers = clients.Select((client, n) => Task.Run(async () =>
        {
            var latencies = new List<long>(4096);
            var next = n;
            while (watch.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                if (!tokens.TryTake(out var token))
                {
                    recorder.PoolSpent(watch.Elapsed);
                    break;
                }
                var started = Stopwatch.GetTimestamp();
                if (await recorder.SendAsync(client, token, bodies[next++ % bodies.Count], cancellationToken))
                {
                    latencies.Add(Stopwatch.GetTimestamp() - started);
                }
            }
            recorder.Add(latencies);
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(workers);
        return recorder.Result(watch.Elapsed);
    }

    /// <summary>Starts <paramref name="rate"/> requests per second for <paramref name="duration"/> on one pooled client.</summary>
    public static async Task<LoadResult> OpenLoopAsync(HttpClient client, double rate, TokenPool tokens, IReadOnlyList<byte[]> bodies,
        TimeSpan duration, CancellationToken cancellationToken)
    {
        var recorder = new Recorder();
        var total = (int)Math.Min(rate * duration.TotalSeconds, IssuanceSettings.MaxTokensPerRun);
        var interval = Stopwatch.Frequency / rate;
        var requests = new List<Task>(total);
        var latencies = new ConcurrentBag<long>();
        var lags = new List<long>(total);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = start + (long)(i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait >= TimeSpan.FromMilliseconds(1))
            {
                // No busy-wait: on two cores a spinning generator would take a core from the server.
                await Task.Delay(wait, CancellationToken.None);
            }
            if (!tokens.TryTake(out var token))
            {
                recorder.PoolSpent(Stopwatch.GetElapsedTime(start));
                break;
            }
            var now = Stopwatch.GetTimestamp();
            lags.Add(Math.Max(0, now - due));
            // Latency counts from the earlier of the scheduled and the actual start: a late start is charged
            // to the request, an early one (under a millisecond) is not credited.
            var from = Math.Min(now, due);
            var body = bodies[i % bodies.Count];
            requests.Add(Task.Run(async () =>
            {
                if (await recorder.SendAsync(client, token, body, cancellationToken))
                {
                    latencies.Add(Stopwatch.GetTimestamp() - from);
                }
            }, CancellationToken.None));
        }
        var scheduled = Stopwatch.GetElapsedTime(start);
        await Task.WhenAll(requests);
        recorder.Add(latencies);
        recorder.ScheduleLag = LatencyStats.FromTicks(lags);
        // The rate is over the schedule's span: the achieved offered rate, not the drain time of the last answers.
        return recorder.Result(scheduled);
    }

    /// <summary>Collects outcomes from many clients; each client hands over its latencies once, at its end.</summary>
    private sealed class Recorder
    {
        private readonly ConcurrentDictionary<string, int> _errors = new();
        private readonly List<long> _latencies = [];
        private byte[]? _sample;
        private string? _firstError;
        private TimeSpan? _poolSpentAt;

        /// <summary>Open loop: how late the generator started requests against their schedule.</summary>
        public LatencyStats? ScheduleLag { get; set; }

        /// <summary>Sends one request; true when it got its certificate (201).</summary>
        public async Task<bool> SendAsync(HttpClient client, string token, byte[] body, CancellationToken cancellationToken)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/certificates/user") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = Json;
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await client.SendAsync(request, cancellationToken);
                var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                if ((int)response.StatusCode == 201)
                {
                    _sample ??= answer;
                    return true;
                }
                Error($"HTTP {(int)response.StatusCode}", System.Text.Encoding.UTF8.GetString(answer));
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Error(e.GetType().Name, e.Message);
            }
            return false;
        }

        public void PoolSpent(TimeSpan at)
        {
            lock (_errors)
            {
                _poolSpentAt ??= at;
            }
        }

        public void Add(IEnumerable<long> latencies)
        {
            lock (_latencies)
            {
                _latencies.AddRange(latencies);
            }
        }

        public LoadResult Result(TimeSpan elapsed)
        {
            lock (_latencies)
            {
                return new LoadResult(LatencyStats.FromTicks(_latencies), _errors.ToDictionary(), _firstError, elapsed, _poolSpentAt, _sample, ScheduleLag);
            }
        }

        private void Error(string kind, string detail)
        {
            _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
            Interlocked.CompareExchange(ref _firstError, $"{kind}: {(detail.Length > 300 ? detail[..300] : detail)}", null);
        }
    }
}

/// <summary>One run's outcome: latencies of the certificates issued, errors by kind, and one issued response to verify.</summary>
internal sealed record LoadResult(
    LatencyStats Latency,
    IReadOnlyDictionary<string, int> Errors,
    string? FirstError,
    TimeSpan Elapsed,
    TimeSpan? PoolSpentAt,
    byte[]? SampleResponse,
    LatencyStats? ScheduleLag)
{
    public int Issued => Latency.Count;

    public int ErrorCount => Errors.Values.Sum();

    public double PerSecond => Issued / Elapsed.TotalSeconds;
}
