using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Beacon.Telemetry;

/// <summary>
/// Opt-in telemetry for one run of a CLI: <see cref="Record"/> queues a finished command in memory
/// (bounded; extra events are dropped), <see cref="FlushAsync"/> sends the queue in at most the
/// settings' timeout (300 ms by default) and drops it quietly if the diagnostic server is away, slow or
/// refusing. Nothing here throws into the command and nothing is sent when telemetry is off.
/// The TCP connection is opened in the background as soon as the session starts, while the command
/// runs: if the server is down that is known before the flush, which then drops the events at once.
/// </summary>
public sealed class TelemetrySession : IDisposable
{
    private readonly ConcurrentQueue<TelemetryEvent> _queue = new();
    private readonly TelemetrySettings _settings;
    private readonly TelemetryClientInfo? _client;
    private Func<HttpMessageHandler> _handlerFactory;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _lifetime = new();
    private Task<Stream>? _preconnect;
    private HttpClient? _http;
    private int _queued;
    private int _dropped;

    private TelemetrySession(TelemetrySettings settings, TelemetryClientInfo? client, Func<HttpMessageHandler> handlerFactory, TimeProvider clock)
    {
        _settings = settings;
        _client = client;
        _handlerFactory = handlerFactory;
        _clock = clock;
    }

    /// <summary>
    /// Starts a session. With telemetry off (or settings that are not usable) the session records nothing.
    /// </summary>
    /// <param name="clientName">"beacon" or "beacon-host".</param>
    /// <param name="version">The program's version; anything but a short version string is sent as "unknown".</param>
    public static TelemetrySession Start(TelemetrySettings settings, string clientName, string version,
        Func<HttpMessageHandler>? handlerFactory = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!TelemetrySchema.ClientNames.Contains(clientName))
        {
            throw new ArgumentException($"\"{clientName}\" is not a telemetry client name", nameof(clientName));
        }
        var client = settings.IsActive
            ? new TelemetryClientInfo(settings.ClientId!, clientName, ShortOrUnknown(version), ShortOrUnknown(RuntimeInformation.RuntimeIdentifier))
            : null;
        var session = new TelemetrySession(settings, client, handlerFactory ?? (() => throw new InvalidOperationException()), clock ?? TimeProvider.System);
        if (client is not null && handlerFactory is null)
        {
            var endpoint = settings.EndpointUrl();
            var host = endpoint.HostNameType == UriHostNameType.IPv6 ? endpoint.Host.Trim('[', ']') : endpoint.IdnHost;
            session._preconnect = Task.Run(() => ConnectAsync(host, endpoint.Port, session._lifetime.Token));
            session._handlerFactory = session.DefaultHandler;
        }
        return session;
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
        if (Interlocked.Increment(ref _queued) > TelemetrySchema.MaxEventsPerBatch)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _queue.Enqueue(new TelemetryEvent(
            command is not null && TelemetrySchema.Command().IsMatch(command) ? command : "other",
            Milliseconds(duration, 86_400_000),
            outcome,
            outcome == TelemetryOutcome.Error ? (errorCode is not null && TelemetrySchema.ErrorCode().IsMatch(errorCode) ? errorCode : "other") : null,
            serverLatency is { } latency ? Milliseconds(latency, 600_000) : null,
            _clock.GetUtcNow()));
    }

    /// <summary>
    /// Sends what is queued and returns within the settings' timeout whatever the server does; on any
    /// failure the events are dropped. Never throws.
    /// </summary>
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
        if (_preconnect is { IsFaulted: true } or { IsCanceled: true })
        {
            // The connection opened in the background already failed: the server is away, drop at once.
            return;
        }
        var timeout = TimeSpan.FromMilliseconds(_settings.TimeoutMs);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var send = SendAsync(events, deadline.Token);
            // WaitAsync bounds the wait even if name resolution or a handler ignores cancellation.
            await send.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or TimeoutException
            or IOException or InvalidOperationException or TelemetrySettingsException or System.Net.Sockets.SocketException)
        {
            // The diagnostic server is away, slow or refusing: telemetry is best effort, the events go.
        }
    }

    private async Task SendAsync(List<TelemetryEvent> events, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _preconnect) is { } early)
        {
            // Wait for the background connection before loading the HTTP stack: if the server is away
            // that is all the time the flush takes.
            await early.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        _http ??= new HttpClient(_handlerFactory(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        var body = new ByteArrayContent(TelemetryBatchWriter.Write(_client!, events));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _settings.EndpointUrl()) { Content = body };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private HttpMessageHandler DefaultHandler() => new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromMilliseconds(_settings.TimeoutMs),
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        MaxResponseHeadersLength = 16,
        ConnectCallback = async (context, cancellationToken) =>
        {
            // The first connection is the one opened in the background at start; any later one is fresh.
            var early = Interlocked.Exchange(ref _preconnect, null);
            return early is not null
                ? await early.WaitAsync(cancellationToken).ConfigureAwait(false)
                : await ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
        },
    };

    private static async Task<Stream> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
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

    public void Dispose()
    {
        _lifetime.Cancel();
        if (Interlocked.Exchange(ref _preconnect, null) is { IsCompletedSuccessfully: true } unused)
        {
            unused.Result.Dispose();
        }
        _http?.Dispose();
        _lifetime.Dispose();
    }
}
