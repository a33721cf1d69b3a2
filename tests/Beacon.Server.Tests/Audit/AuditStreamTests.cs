using System.Net;
using System.Net.Sockets;
using System.Text;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Tests.Audit;

/// <summary>Audit events reach the SIEM sinks: a JSON-lines file and syslog (RFC 5424 over UDP).</summary>
public sealed class AuditStreamTests
{
    [Fact]
    public async Task AnIssuanceReachesSyslogAndTheJsonLinesFile()
    {
        using var syslog = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)syslog.Client.LocalEndPoint!).Port;
        using var sinks = new Beacon.Testing.TempDirectory();
        var jsonLines = sinks.File("audit.jsonl");
        using var server = new BeaconServerFactory(new Dictionary<string, string?>
        {
            ["Beacon:Audit:Syslog"] = $"127.0.0.1:{port}",
            ["Beacon:Audit:JsonLinesPath"] = jsonLines,
        });
        var token = await server.MintTokenAsync("judy", "judy");
        using var client = server.CreateClient();
        using var response = await client.RequestCertificateAsync(token, new { public_key = Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var seenIssue = false;
        while (!seenIssue)
        {
            var datagram = await syslog.ReceiveAsync(timeout.Token);
            var message = Encoding.UTF8.GetString(datagram.Buffer);
            Assert.StartsWith("<85>1 ", message, StringComparison.Ordinal);
            Assert.DoesNotContain("beacon-ott-", message, StringComparison.Ordinal);
            seenIssue = message.Contains("\"kind\":\"certificate.issue\"", StringComparison.Ordinal);
        }
        while (!(File.Exists(jsonLines) && (await File.ReadAllTextAsync(jsonLines, timeout.Token)).Contains("certificate.issue", StringComparison.Ordinal)))
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}
