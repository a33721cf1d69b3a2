using System.Text;
using Beacon.Telemetry.Transport;

namespace Beacon.Telemetry.Tests;

public sealed class HttpPostTransportTests
{
    [Theory]
    [InlineData("HTTP/1.1 202 Accepted", 202)]
    [InlineData("HTTP/1.0 200 OK", 200)]
    [InlineData("HTTP/1.1 429", 429)]
    public void StatusLinesAreRead(string line, int status)
    {
        Assert.Equal(status, HttpPostTransport.ParseStatusLine(Encoding.ASCII.GetBytes(line)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("HTTP/2 200 OK")]
    [InlineData("SSH-2.0-OpenSSH_9.2")]
    [InlineData("HTTP/1.1 20x OK")]
    [InlineData("HTTP/1.1 2000 OK")]
    [InlineData("HTTP/1.1  202")]
    public void WhatIsNotAStatusLineIsRefused(string line)
    {
        Assert.Throws<IOException>(() => HttpPostTransport.ParseStatusLine(Encoding.ASCII.GetBytes(line)));
    }

    [Fact]
    public async Task AnEndlessStatusLineIsCutOff()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes("HTTP/1.1 200 " + new string('x', 10_000)));
        await Assert.ThrowsAsync<IOException>(() => HttpPostTransport.ReadStatusAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task AClosedConnectionBeforeTheStatusLineIsAFailure()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes("HTTP/1.1 2"));
        await Assert.ThrowsAsync<IOException>(() => HttpPostTransport.ReadStatusAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task ARefusalIsAFailureTheSessionDrops()
    {
        using var server = new AnsweringServer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        using var transport = new HttpPostTransport(new Uri(server.Url + "v1/telemetry"));
        await Assert.ThrowsAsync<IOException>(() => transport.SendAsync("{}"u8.ToArray(), CancellationToken.None));
        Assert.Equal(1, server.Answered);
    }

    [Fact]
    public async Task AnAcceptedBatchSucceeds()
    {
        using var server = new AnsweringServer("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        using var transport = new HttpPostTransport(new Uri(server.Url + "v1/telemetry"));
        await transport.SendAsync("{}"u8.ToArray(), CancellationToken.None);
    }

    [Fact]
    public async Task AClosedPortIsKnownUnreachable()
    {
        using var transport = new HttpPostTransport(new Uri(ClosedPort.Url() + "v1/telemetry"));
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => transport.SendAsync("{}"u8.ToArray(), CancellationToken.None));
        Assert.True(transport.IsKnownUnreachable);
    }
}
