using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Beacon.Telemetry.Transport;

namespace Beacon.Telemetry;

/// <summary>
/// Opt-in telemetry for one run of a CLI: <see cref="Record"/> queues a finished command in memory
/// (bounded; extra events are dropped), <see cref="FlushAsync"/> sends the queue in at most the
/// settings' timeout (300 ms by default) and drops it quietly if the diagnostic server is away, slow or
/// refusing. Nothing here throws into the command and nothing is sent when telemetry is off.
/// The connection is opened in the background as soon as the session starts, while the command runs:
/// if the server is down that is known before the flush, which then drops the events at once.
/// </summary>
public sealed class TelemetrySession : IDisposable
{
    private readonly ConcurrentQueue<TelemetryEvent> _queue = new();
    private readonly TelemetrySettings _settings;
    private readonly TelemetryClientInfo? _client;
    private readonly Func<Uri, ITelemetryTransport> _transportFactory;
    private readonly TimeProvider _clock;
    private ITelemetryTransport? _transport;
    private int _queued;
    private int _dropped;

    private TelemetrySession(TelemetrySettings settings, TelemetryClientInfo? client, Func<Uri, ITelemetryTransport> transportFactory, TimeProvider clock)
    {
        _settings = settings;
        _client = client;
        _transportFactory = transportFactory;
        _clock = clock;
        if (client is not null)
        {
            _transport = transportFactory(settings.EndpointUrl());
        }
    }

    /// <summary>
    /// Starts a session. With telemetry off (or settings that are not usable) the session records nothing
    /// and opens no connection; on, it starts connecting to the diagnostic server in the background.
    /// </summary>
    /// <param name="clientName">"beacon" or "beacon-host".</param>
    /// <param name="version">The program's version; anything but a short version string is sent as "unknown".</param>
    /// <param name="transportFactory">How batches travel (tests); one HTTP POST per flush by default.</param>
    public static TelemetrySession Start(TelemetrySettings settings, string clientName, string version,
        Func<Uri, ITelemetryTransport>? transportFactory = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!TelemetrySchema.ClientNames.Contains(clientName))
        {
            throw new ArgumentException($"\"{clientName}\" is not a telemetry client name", nameof(clientName));
        }
        var client = settings.IsActive
            ? new TelemetryClientInfo(settings.ClientId!, clientName, ShortOrUnknown(version), ShortOrUnknown(RuntimeInformation.RuntimeIdentifier))
            : null;
        return new TelemetrySession(settings, client, transportFactory ?? (url => new HttpPostTransport(url)), clock ?? TimeProvider.System);
    }

    /// <summary>Whether events are recorded and sent.</summary>
    public bool IsActive => _client is not null;

    /// <summary>Events dropped because the queue was full.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>Events waiting to be sent.</summary>
    public int Pending => Volatile.Read(ref _queued);

    /// <summary>
    /// Queues a finished command. A command name or error code that is not a short identifier is sent as
    /// "other", so no free text (a path, a token) can leave the machine.
    /// </summary>
    public void Record(string command, TimeSpan duration, TelemetryOutcome outcome, string? errorCode = null, TimeSpan? serverLatency = null)
    {
        if (!IsActive)
        {
            return;
        }
        Add(EventOf(command, duration, outcome, errorCode, serverLatency, _clock.GetUtcNow()));
    }

    /// <summary>Queues an event made earlier (a spooled one); dropped when the batch is full.</summary>
    public void Add(TelemetryEvent e)
    {
        if (!IsActive)
        {
            return;
        }
        if (Interlocked.Increment(ref _queued) > TelemetrySchema.MaxEventsPerBatch)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _queue.Enqueue(e);
    }

    /// <summary>An event as it is sent: names that are not beacon's own identifiers become "other"; times are clamped.</summary>
    public static TelemetryEvent EventOf(string command, TimeSpan duration, TelemetryOutcome outcome, string? errorCode, TimeSpan? serverLatency, DateTimeOffset at) =>
        new(command is not null && TelemetrySchema.Command().IsMatch(command) ? command : "other",
            Milliseconds(duration, 86_400_000),
            outcome,
            outcome == TelemetryOutcome.Error ? (errorCode is not null && TelemetrySchema.ErrorCode().IsMatch(errorCode) ? errorCode : "other") : null,
            serverLatency is { } latency ? Milliseconds(latency, 600_000) : null,
            at);

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_client is null || Volatile.Read(ref _queued) == 0)
        {
            return;
        }
        var events = new List<TelemetryEvent>();
        while (_queue.TryDequeue(out var e))
        {
            Interlocked.Decrement(ref _queued);
            events.Add(e);
        }
        // One connection per batch: the one opened at start for the first flush, a new one after.
        var transport = Interlocked.Exchange(ref _transport, null) ?? _transportFactory(_settings.EndpointUrl());
        using (transport)
        {
            if (transport.IsKnownUnreachable)
            {
                // The connection opened in the background already failed: the server is away, drop at once.
                return;
            }
            var timeout = TimeSpan.FromMilliseconds(_settings.TimeoutMs);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                var send = transport.SendAsync(TelemetryBatchWriter.Write(_client, events), deadline.Token);
                // WaitAsync bounds the wait even if name resolution or TLS ignores cancellation.
                await send.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or TimeoutException or InvalidOperationException
                or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // The diagnostic server is away, slow or refusing: telemetry is best effort, the events go.
            }
        }
    }

    private static long Milliseconds(TimeSpan value, long max) => Math.Clamp((long)value.TotalMilliseconds, 0, max);

    /// <summary>A version without its build metadata ("1.2.0+commit" → "1.2.0"), or "unknown" when it is not a short token.</summary>
    private static string ShortOrUnknown(string value)
    {
        var plus = value.IndexOf('+', StringComparison.Ordinal);
        var trimmed = plus > 0 ? value[..plus] : value;
        return TelemetrySchema.ShortToken().IsMatch(trimmed) ? trimmed : "unknown";
    }

    public void Dispose() => Interlocked.Exchange(ref _transport, null)?.Dispose();
}
