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

/// <summary>A handler that counts requests and answers 202, for "nothing is sent" checks.</summary>
public sealed class CountingHandler : HttpMessageHandler
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public List<string> Bodies { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        lock (Bodies)
        {
            Bodies.Add(request.Content is null ? "" : request.Content.ReadAsStringAsync(cancellationToken).Result);
        }
        await Task.Yield();
        return new HttpResponseMessage(HttpStatusCode.Accepted);
    }
}
