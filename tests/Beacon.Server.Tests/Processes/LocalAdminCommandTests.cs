using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Server.Tests.Processes;

/// <summary>
/// The local admin commands against a running server's data directory: what they change takes effect
/// on the server's next request, and every change is in the audit log and its JSON-lines stream.
/// </summary>
public sealed class LocalAdminCommandTests : IClassFixture<ServerProcessFixture>
{
    private readonly ServerProcess _server;

    public LocalAdminCommandTests(ServerProcessFixture server) => _server = server.Process;

    private string DataDir => Path.Combine(_server.Data.Path, "data");

    private ProcessResult Command(params string[] args) => _server.Command([.. args, "--data-dir", DataDir]);

    private async Task<(HttpStatusCode Status, string Serial)> IssueAsync(string user)
    {
        var token = Command("token", "create", "--user", user, "--principals", user).StandardOutput.Trim();
        using var client = _server.CreateClient(token);
        using var response = await client.PostAsJsonAsync("/v1/certificates/user", new { public_key = Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString() });
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return (response.StatusCode, "");
        }
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.GetProperty("serial").GetString()!);
    }

    [Fact]
    public async Task DisablingAUserRefusesTheirNextRequestAndEnablingRestoresIt()
    {
        Assert.Equal(HttpStatusCode.Created, (await IssueAsync("grace")).Status);
        var disable = Command("user", "disable", "grace", "--reason", "left the company");
        Assert.True(disable.ExitCode == 0, disable.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await IssueAsync("grace")).Status);
        Assert.Equal(0, Command("user", "enable", "grace").ExitCode);
        Assert.Equal(HttpStatusCode.Created, (await IssueAsync("grace")).Status);
        var unknown = Command("user", "disable", "nobody-seen");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no user named", unknown.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertListShowsIssuedCertificatesAndRevokeMarksThem()
    {
        var (_, serial) = await IssueAsync("heidi");
        var list = Command("cert", "list", "--user", "heidi");
        Assert.Contains(serial, list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("live", list.StandardOutput, StringComparison.Ordinal);
        var revoke = Command("cert", "revoke", "--serial", serial, "--reason", "laptop stolen");
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        Assert.Contains("revoked", Command("cert", "list", "--user", "heidi").StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, Command("cert", "revoke", "--serial", serial).ExitCode);
        Assert.Equal(1, Command("cert", "revoke", "--serial", "not-a-number").ExitCode);
    }

    [Fact]
    public void PolicyListAndShowPrintTheStoredVersions()
    {
        var list = Command("policy", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("config", list.StandardOutput, StringComparison.Ordinal);
        var show = Command("policy", "show");
        using var document = JsonDocument.Parse(show.StandardOutput);
        Assert.Equal("one-time-tokens", document.RootElement.GetProperty("policies")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task AuditEventsReachTheJsonLinesStream()
    {
        var (_, serial) = await IssueAsync("ivan");
        var file = Path.Combine(DataDir, "audit.jsonl");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && !(File.Exists(file) && File.ReadAllText(file).Contains(serial, StringComparison.Ordinal)))
        {
            await Task.Delay(200);
        }
        var lines = File.ReadAllLines(file);
        var issued = lines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("kind").GetString() == "certificate.issue"
            && e.GetProperty("details").GetProperty("serial").GetString() == serial);
        Assert.Equal("success", issued.GetProperty("outcome").GetString());
        Assert.DoesNotContain(lines, l => l.Contains("beacon-ott-", StringComparison.Ordinal));
        Assert.Equal(0, Command("audit", "verify").ExitCode);
    }
}
