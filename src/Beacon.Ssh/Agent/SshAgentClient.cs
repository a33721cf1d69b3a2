using System.Buffers.Binary;
using System.Net.Sockets;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Agent;

/// <summary>
/// A client for ssh-agent over its Unix domain socket (RFC 9987). One request at a time per instance;
/// every request has a time limit and every reply a size limit.
/// </summary>
public sealed class SshAgentClient : IAsyncDisposable, IDisposable
{
    private readonly Socket _socket;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _gate = new(1, 1);

    // After a timeout or a broken reply the stream's position is unknown: a late reply would answer the
    // next request. The connection is then unusable and every later call says so.
    private bool _broken;

    private SshAgentClient(Socket socket, TimeSpan timeout)
    {
        _socket = socket;
        _timeout = timeout;
    }

    /// <summary>Connects to the agent at the socket path, or at SSH_AUTH_SOCK when none is given.</summary>
    /// <exception cref="SshAgentException">No socket is named, or it cannot be reached.</exception>
    public static async Task<SshAgentClient> ConnectAsync(string? socketPath = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var path = socketPath ?? Environment.GetEnvironmentVariable("SSH_AUTH_SOCK");
        if (string.IsNullOrEmpty(path))
        {
            throw new SshAgentException("no ssh-agent: SSH_AUTH_SOCK is not set");
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(timeout ?? TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timer.Token);
            return new SshAgentClient(socket, timeout ?? TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            throw new SshAgentException($"cannot reach ssh-agent at {path}: {e.Message}", e);
        }
    }

    public async Task<IReadOnlyList<AgentIdentity>> ListAsync(CancellationToken cancellationToken = default) =>
        AgentProtocol.DecodeIdentities(await RequestAsync(AgentProtocol.Frame(AgentProtocol.RequestIdentities), cancellationToken));

    /// <summary>Adds a plain key, optionally for a limited time (the agent forgets it after).</summary>
    public async Task AddAsync(SshPrivateKey key, string comment, TimeSpan? lifetime = null, bool confirm = false, CancellationToken cancellationToken = default) =>
        AgentProtocol.DecodeSuccess(await RequestAsync(AgentProtocol.EncodeAddIdentity(key, comment, lifetime, confirm), cancellationToken), "add identity");

    /// <summary>Adds a key with its certificate, optionally for a limited time.</summary>
    public async Task AddCertificateAsync(SshPrivateKey key, SshCertificate certificate, string comment, TimeSpan? lifetime = null, bool confirm = false,
        CancellationToken cancellationToken = default) =>
        AgentProtocol.DecodeSuccess(await RequestAsync(AgentProtocol.EncodeAddCertificate(key, certificate, comment, lifetime, confirm), cancellationToken), "add certificate");

    /// <summary>Removes one identity: a plain key, or a certificate (give its blob).</summary>
    public async Task RemoveAsync(ReadOnlyMemory<byte> keyBlob, CancellationToken cancellationToken = default) =>
        AgentProtocol.DecodeSuccess(await RequestAsync(AgentProtocol.EncodeRemove(keyBlob.Span), cancellationToken), "remove identity");

    public async Task RemoveAllAsync(CancellationToken cancellationToken = default) =>
        AgentProtocol.DecodeSuccess(await RequestAsync(AgentProtocol.Frame(AgentProtocol.RemoveAllIdentities), cancellationToken), "remove all identities");

    /// <summary>Asks the agent to sign with the identity named by its blob; flags select rsa-sha2-256/512 for RSA keys.</summary>
    public async Task<SshSignature> SignAsync(ReadOnlyMemory<byte> keyBlob, ReadOnlyMemory<byte> data, uint flags = 0, CancellationToken cancellationToken = default) =>
        AgentProtocol.DecodeSignResponse(await RequestAsync(AgentProtocol.EncodeSign(keyBlob.Span, data.Span, flags), cancellationToken));

    private async Task<byte[]> RequestAsync(byte[] request, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        if (_broken)
        {
            _gate.Release();
            throw new SshAgentException("the ssh-agent connection failed earlier; connect again");
        }
        var completed = false;
        try
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(_timeout);
            await _socket.SendAsync(request, SocketFlags.None, timer.Token);
            var header = new byte[4];
            await ReceiveExactlyAsync(header, timer.Token);
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            // Checked before allocating: a hostile or broken agent cannot make us allocate its length.
            if (length == 0 || length > AgentProtocol.MaxMessageLength)
            {
                throw new SshFormatException($"agent reply length: {length} is outside 1..{AgentProtocol.MaxMessageLength}");
            }
            var body = new byte[length];
            await ReceiveExactlyAsync(body, timer.Token);
            completed = true;
            return body;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SshAgentException("ssh-agent did not answer in time", e);
        }
        catch (SocketException e)
        {
            throw new SshAgentException($"ssh-agent connection failed: {e.Message}", e);
        }
        finally
        {
            _broken |= !completed;
            _gate.Release();
        }
    }

    private async Task ReceiveExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var count = await _socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken);
            if (count == 0)
            {
                throw new SshAgentException("ssh-agent closed the connection in the middle of a reply");
            }
            read += count;
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _gate.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
