using System.Net.Sockets;
using Beacon.Ssh.Agent;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Wire;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Agent;

/// <summary>Malformed agent replies get the format exception, never another, a hang or an attacker-sized allocation.</summary>
public sealed class AgentReplyTests
{
    private static byte[] IdentitiesAnswer()
    {
        using var key = Ed25519PrivateKey.Generate();
        using var ca = Ed25519PrivateKey.Generate();
        var certificate = new SshCertificateBuilder
        {
            PublicKey = key.PublicKey, Type = SshCertificateType.User, KeyId = "k", Principals = ["a"], ValidAfter = 0, ValidBefore = 100,
        }.Sign(ca);
        var writer = new SshWriter();
        writer.WriteByte(AgentProtocol.IdentitiesAnswer).WriteUInt32(2)
            .WriteString(key.PublicKey.Blob).WriteString("plain")
            .WriteString(certificate.Blob).WriteString("certificate");
        return writer.ToArray();
    }

    private static byte[] SignResponse()
    {
        using var key = Ed25519PrivateKey.Generate();
        var writer = new SshWriter();
        writer.WriteByte(AgentProtocol.SignResponse).WriteString(key.Sign("x"u8).ToWire());
        return writer.ToArray();
    }

    [Fact]
    public void ValidRepliesDecode()
    {
        var identities = AgentProtocol.DecodeIdentities(IdentitiesAnswer());
        Assert.NotNull(identities[0].Key);
        Assert.NotNull(identities[1].Certificate);
        Assert.Equal(SshKeyTypes.Ed25519, AgentProtocol.DecodeSignResponse(SignResponse()).Algorithm);
    }

    [Fact]
    public void EveryTruncatedPrefixOfAnIdentitiesAnswerIsAFormatError()
    {
        var answer = IdentitiesAnswer();
        for (var length = 0; length < answer.Length; length++)
        {
            var prefix = answer[..length];
            Assert.Throws<SshFormatException>(() => AgentProtocol.DecodeIdentities(prefix));
        }
    }

    [Fact]
    public void EveryTruncatedPrefixOfASignResponseIsAFormatError()
    {
        var response = SignResponse();
        for (var length = 0; length < response.Length; length++)
        {
            var prefix = response[..length];
            Assert.Throws<SshFormatException>(() => AgentProtocol.DecodeSignResponse(prefix));
        }
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "trailing bytes", [.. new SshWriter().WriteByte(AgentProtocol.Success).ToArray(), 0] },
        { "a huge identity count", new SshWriter().WriteByte(AgentProtocol.IdentitiesAnswer).WriteUInt32(uint.MaxValue).ToArray() },
        { "a blob length beyond the data", new SshWriter().WriteByte(AgentProtocol.IdentitiesAnswer).WriteUInt32(1).WriteUInt32(1_000_000).ToArray() },
        { "an unexpected message type", new SshWriter().WriteByte(99).ToArray() },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedRepliesAreFormatErrors(string description, byte[] reply)
    {
        Assert.NotNull(description);
        Assert.Throws<SshFormatException>(() =>
        {
            if (reply[0] == AgentProtocol.Success)
            {
                AgentProtocol.DecodeSuccess(reply, "test");
            }
            else
            {
                AgentProtocol.DecodeIdentities(reply);
            }
        });
    }

    [Fact]
    public void AFailureReplyIsTheAgentsRefusal() =>
        Assert.Throws<SshAgentException>(() => AgentProtocol.DecodeIdentities([AgentProtocol.Failure]));

    [Fact]
    public async Task AReplyLengthAboveTheBoundIsRefusedWithoutReadingIt()
    {
        using var fake = FakeAgent.Start(new SshWriter().WriteUInt32(AgentProtocol.MaxMessageLength + 1).ToArray());
        await using var client = await SshAgentClient.ConnectAsync(fake.Path);
        await Assert.ThrowsAsync<SshFormatException>(() => client.ListAsync());
    }

    [Fact]
    public async Task AnAgentThatClosesMidReplyIsAClearError()
    {
        using var fake = FakeAgent.Start(new SshWriter().WriteUInt32(100).WriteByte(AgentProtocol.IdentitiesAnswer).ToArray());
        await using var client = await SshAgentClient.ConnectAsync(fake.Path);
        var e = await Assert.ThrowsAsync<SshAgentException>(() => client.ListAsync());
        Assert.Contains("closed the connection", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentThatNeverAnswersTimesOut()
    {
        using var fake = FakeAgent.Start([]);
        await using var client = await SshAgentClient.ConnectAsync(fake.Path, TimeSpan.FromMilliseconds(500));
        var e = await Assert.ThrowsAsync<SshAgentException>(() => client.ListAsync());
        Assert.Contains("did not answer in time", e.Message, StringComparison.Ordinal);
        // A late reply must never be taken as the answer to the next request.
        var next = await Assert.ThrowsAsync<SshAgentException>(() => client.ListAsync());
        Assert.Contains("connect again", next.Message, StringComparison.Ordinal);
    }

    /// <summary>A Unix socket that answers any request with fixed bytes, then stays open or closes.</summary>
    private sealed class FakeAgent : IDisposable
    {
        private readonly Socket _listener;
        private readonly TempDirectory _directory = new();

        private FakeAgent(byte[] reply)
        {
            Path = _directory.File("fake.sock");
            _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            _listener.Bind(new UnixDomainSocketEndPoint(Path));
            _listener.Listen();
            _ = Task.Run(async () =>
            {
                try
                {
                    using var connection = await _listener.AcceptAsync();
                    var buffer = new byte[1024];
                    await connection.ReceiveAsync(buffer, SocketFlags.None);
                    if (reply.Length > 0)
                    {
                        await connection.SendAsync(reply, SocketFlags.None);
                        connection.Shutdown(SocketShutdown.Both);
                    }
                    else
                    {
                        await Task.Delay(TimeSpan.FromSeconds(10));
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                }
            });
        }

        public string Path { get; }

        public static FakeAgent Start(byte[] reply) => new(reply);

        public void Dispose()
        {
            _listener.Dispose();
            _directory.Dispose();
        }
    }
}
