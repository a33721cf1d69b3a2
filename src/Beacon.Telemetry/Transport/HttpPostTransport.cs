using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Beacon.Telemetry.Transport;

/// <summary>
/// One HTTP/1.1 POST of a batch on a connection opened in the background as soon as the transport is
/// made, while the command runs. It writes the request by hand and reads only the status line
/// (bounded) rather than using HttpClient: in a CLI process that lives a fraction of a second,
/// HttpClient's first request costs more than the command itself (beacon-bench telemetry, docs/benchmarks.md).
/// https URLs get TLS with the system's trust store. No proxy, no redirect, no retry.
/// </summary>
internal sealed class HttpPostTransport : ITelemetryTransport
{
    /// <summary>A status line is "HTTP/1.1 202 Accepted"; anything longer before its CRLF is not one.</summary>
    private const int MaxStatusLineBytes = 256;

    private readonly Uri _endpoint;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task<Stream> _connection;
    private int _used;

    public HttpPostTransport(Uri endpoint)
    {
        _endpoint = endpoint;
        var host = endpoint.HostNameType == UriHostNameType.IPv6 ? endpoint.Host.Trim('[', ']') : endpoint.IdnHost;
        _connection = Task.Run(() => ConnectAsync(host, endpoint.Port, endpoint.Scheme == "https", _lifetime.Token));
    }

    public bool IsKnownUnreachable => _connection.IsFaulted || _connection.IsCanceled;

    /// <exception cref="IOException">The connection failed, the server refused the batch or answered something that is not HTTP.</exception>
    /// <exception cref="SocketException">The server could not be reached.</exception>
    public async Task SendAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _used, 1) == 1)
        {
            throw new InvalidOperationException("one batch per connection");
        }
        var stream = await _connection.WaitAsync(cancellationToken).ConfigureAwait(false);
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"POST {_endpoint.PathAndQuery} HTTP/1.1\r\nHost: {_endpoint.Authority}\r\nContent-Type: application/json\r\nContent-Length: {batch.Length}\r\nConnection: close\r\nUser-Agent: beacon-telemetry\r\n\r\n"));
        await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        var status = await ReadStatusAsync(stream, cancellationToken).ConfigureAwait(false);
        if (status is < 200 or > 299)
        {
            throw new IOException($"the diagnostic server answered {status}");
        }
    }

    /// <summary>The status code from "HTTP/1.x NNN ...", reading at most <see cref="MaxStatusLineBytes"/>.</summary>
    internal static async Task<int> ReadStatusAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxStatusLineBytes];
        var length = 0;
        while (true)
        {
            var end = buffer.AsSpan(0, length).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                return ParseStatusLine(buffer.AsSpan(0, end));
            }
            if (length == buffer.Length)
            {
                throw new IOException("the status line is too long");
            }
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the connection closed before a status line");
            }
            length += read;
        }
    }

    internal static int ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // "HTTP/1.1 202" at least: the version, one space, three digits.
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' '
            || !int.TryParse(line.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            throw new IOException("the answer is not HTTP/1.x");
        }
        return status;
    }

    private static async Task<Stream> ConnectAsync(string host, int port, bool tls, CancellationToken cancellationToken)
    {
        // An address needs no name resolution (nor its library): connect to it directly.
        var address = System.Net.IPAddress.TryParse(host, out var parsed) ? parsed : null;
        var socket = address is null ? new Socket(SocketType.Stream, ProtocolType.Tcp) : new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        try
        {
            if (address is null)
            {
                await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(new System.Net.IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
            }
            var network = new NetworkStream(socket, ownsSocket: true);
            if (!tls)
            {
                return network;
            }
            var secure = new SslStream(network, leaveInnerStreamOpen: false);
            try
            {
                await secure.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cancellationToken).ConfigureAwait(false);
                return secure;
            }
            catch
            {
                await secure.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _lifetime.Cancel();
        if (_connection.IsCompletedSuccessfully)
        {
            _connection.Result.Dispose();
        }
        _lifetime.Dispose();
    }
}
