using System.Net;
using System.Net.Sockets;
using Beacon.Testing;

namespace Beacon.Telemetry.Tests;

/// <summary>A diagnostic server that is not there: a port on 127.0.0.1 nobody listens on (connections are refused).</summary>
public static class ClosedPort
{
    public static string Url() => $"http://127.0.0.1:{FreePort.Next()}/";
}

/// <summary>A diagnostic server that hangs: it accepts connections, reads nothing and never answers.</summary>
public sealed class HangingServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly Task _loop;
    private int _connections;

    public HangingServer()
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
        _loop = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    var socket = await _listener.AcceptSocketAsync();
                    lock (_accepted)
                    {
                        _accepted.Add(socket);
                    }
                    Interlocked.Increment(ref _connections);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        });
    }

    public string Url { get; }

    /// <summary>Connections accepted so far (each one a send that was tried and left hanging).</summary>
    public int Connections => Volatile.Read(ref _connections);

    public void Dispose()
    {
        _listener.Stop();
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

/// <summary>A transport that keeps every batch instead of sending it, for "what is sent" and "nothing is sent" checks.</summary>
public sealed class RecordingTransport : Beacon.Telemetry.Transport.ITelemetryTransport
{
    private readonly List<string> _batches;

    public RecordingTransport(List<string> batches) => _batches = batches;

    /// <summary>A factory for TelemetrySession.Start that records into <paramref name="batches"/> and counts transports made.</summary>
    public static Func<Uri, Beacon.Telemetry.Transport.ITelemetryTransport> Factory(List<string> batches, Action? made = null) => _ =>
    {
        made?.Invoke();
        return new RecordingTransport(batches);
    };

    public bool IsKnownUnreachable => false;

    public Task SendAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        lock (_batches)
        {
            _batches.Add(System.Text.Encoding.UTF8.GetString(batch.Span));
        }
        return Task.CompletedTask;
    }

    public void Dispose()
    {
    }
}

/// <summary>A server that reads a request and answers with a fixed text, then closes.</summary>
public sealed class AnsweringServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _loop;

    public AnsweringServer(string answer)
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
        _loop = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    using var socket = await _listener.AcceptSocketAsync();
                    var buffer = new byte[65536];
                    await socket.ReceiveAsync(buffer);
                    await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(answer));
                    socket.Shutdown(SocketShutdown.Both);
                    Interlocked.Increment(ref _answered);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        });
    }

    private int _answered;

    public string Url { get; }

    public int Answered => Volatile.Read(ref _answered);

    public void Dispose()
    {
        _listener.Stop();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
