using System.Net;
using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Revocation;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Krl;
using Beacon.Ssh.SshSig;
using Beacon.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Server.Tests.Revocation;

/// <summary>
/// POST /v1/admin/revocations and the served KRL: what an admin revokes is in the KRL at once, ssh-keygen
/// agrees, the signature verifies with ssh-keygen -Y verify, and conditional GETs work.
/// </summary>
public sealed class KrlApiTests
{
    private static async Task<(byte[] Krl, string Signature, string RevocationKey)> FetchAsync(HttpClient client)
    {
        var krl = await client.GetByteArrayAsync("/v1/trust/krl");
        var signature = await client.GetStringAsync("/v1/trust/krl.sig");
        var key = await client.GetStringAsync("/v1/trust/revocation-key.pub");
        return (krl, signature, key);
    }

    /// <summary>ssh-keygen -Q says revoked (exit 1) or not (exit 0); ssh-keygen -Y verify accepts the signature.</summary>
    private static void OpenSshAgrees(byte[] krl, string signature, string revocationKeyLine, SshCertificate certificate, bool revoked)
    {
        using var temp = new TempDirectory();
        var krlPath = temp.File("krl");
        File.WriteAllBytes(krlPath, krl);
        var query = OpenSsh.Keygen("-Q", "-f", krlPath, temp.Write("cert.pub", certificate.ToOpenSshString() + "\n"));
        Assert.True(query.ExitCode == (revoked ? 1 : 0), query.ToString());
        var verify = SshKeygenSig.Verify(temp, SshPublicKeyParser.ParseLine(revocationKeyLine.Trim()), RevocationKey.Identity,
            RevocationKey.SignatureNamespace, temp.Write("krl.sig", signature), krlPath);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [RequiresOpenSshFact]
    public async Task AdminRevokesBySerialAndTheServedKrlRevokesIt()
    {
        using var server = RevocationServer.Create();
        using var client = server.CreateClient();
        using var key = Ed25519PrivateKey.Generate();
        var revoked = await server.IssueAsync("carol", key);
        var live = await server.IssueAsync("carol", key);

        using var response = await client.RevokeAsync(StaffDirectoryDouble.AdminToken, new { serial = revoked.Serial.ToString(), reason = "laptop stolen" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(revoked.Serial.ToString(), json.RootElement.GetProperty("revoked_serials")[0].GetString());

        var (krl, signature, revocationKey) = await FetchAsync(client);
        var parsed = KrlParser.Parse(krl);
        Assert.True(parsed.IsRevoked(revoked));
        Assert.False(parsed.IsRevoked(live));
        Assert.Equal((ulong)json.RootElement.GetProperty("krl_version").GetInt64(), parsed.Version);
        Assert.True(SshSigVerifier.Verify(SshSigParser.ParseArmored(signature), krl, RevocationKey.SignatureNamespace, server.Revocation.PublicKey));
        OpenSshAgrees(krl, signature, revocationKey, revoked, revoked: true);
        OpenSshAgrees(krl, signature, revocationKey, live, revoked: false);

        var events = await server.Services.GetRequiredService<IBeaconStore>().ReadAuditAsync().ToListAsync();
        var audit = events.Single(e => e.Kind == Revoker.CertificateKind);
        Assert.Equal("staff:alice-id", audit.Actor);
        Assert.Contains("laptop stolen", audit.Details, StringComparison.Ordinal);
    }

    [RequiresOpenSshFact]
    public async Task AdminRevokesAPublicKeyAndEveryCertificateForItIsRevoked()
    {
        using var server = RevocationServer.Create();
        using var client = server.CreateClient();
        using var key = Ed25519PrivateKey.Generate();
        using var other = Ed25519PrivateKey.Generate();
        var certificate = await server.IssueAsync("dave", key);
        var unrelated = await server.IssueAsync("dave", other);

        using var response = await client.RevokeAsync(StaffDirectoryDouble.AdminToken, new { public_key = key.PublicKey.ToOpenSshString("dave@laptop") });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var (krl, signature, revocationKey) = await FetchAsync(client);
        var parsed = KrlParser.Parse(krl);
        Assert.True(parsed.IsRevoked(key.PublicKey));
        Assert.True(parsed.IsRevoked(certificate));
        Assert.False(parsed.IsRevoked(unrelated));
        OpenSshAgrees(krl, signature, revocationKey, certificate, revoked: true);
        OpenSshAgrees(krl, signature, revocationKey, unrelated, revoked: false);
        // Revoking the same key again changes nothing: 404, and the KRL keeps its version.
        using var again = await client.RevokeAsync(StaffDirectoryDouble.AdminToken, new { public_key = key.PublicKey.ToOpenSshString() });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(krl, await client.GetByteArrayAsync("/v1/trust/krl"));
    }

    [Fact]
    public async Task AdminRevokesEveryLiveCertificateOfAUser()
    {
        using var server = RevocationServer.Create();
        using var client = server.CreateClient();
        using var key = Ed25519PrivateKey.Generate();
        var first = await server.IssueAsync("erin", key);
        var second = await server.IssueAsync("erin", key);
        var someoneElse = await server.IssueAsync("frank", key);

        using var response = await client.RevokeAsync(StaffDirectoryDouble.AdminToken, new { username = "erin" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var parsed = KrlParser.Parse(await client.GetByteArrayAsync("/v1/trust/krl"));
        Assert.True(parsed.IsRevoked(first));
        Assert.True(parsed.IsRevoked(second));
        Assert.False(parsed.IsRevoked(someoneElse));
    }

    [Fact]
    public async Task ANonAdminAndAOneTimeTokenGet403AndTheRefusalIsAudited()
    {
        using var server = RevocationServer.Create(new Dictionary<string, string?>
        {
            // Even a configuration that names the token provider's (empty) groups cannot make a one-time token an admin.
            ["Beacon:Admin:Groups:1"] = "",
        });
        using var client = server.CreateClient();
        using var key = Ed25519PrivateKey.Generate();
        var certificate = await server.IssueAsync("grace", key);
        var before = await client.GetByteArrayAsync("/v1/trust/krl");

        using var staff = await client.RevokeAsync(StaffDirectoryDouble.StaffToken, new { serial = certificate.Serial.ToString() });
        Assert.Equal(HttpStatusCode.Forbidden, staff.StatusCode);
        using var oneTime = await client.RevokeAsync(await server.MintTokenAsync("grace", "grace"), new { serial = certificate.Serial.ToString() });
        Assert.Equal(HttpStatusCode.Forbidden, oneTime.StatusCode);
        using var anonymous = await client.RevokeAsync(null, new { serial = certificate.Serial.ToString() });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        Assert.Equal(before, await client.GetByteArrayAsync("/v1/trust/krl"));
        Assert.False(KrlParser.Parse(before).IsRevoked(certificate));
        var events = await server.Services.GetRequiredService<IBeaconStore>().ReadAuditAsync().ToListAsync();
        Assert.Contains(events, e => e.Kind == Revoker.CertificateKind && e.Outcome == AuditOutcome.Refused && e.Actor == "staff:bob-id");
    }

    [Theory]
    [InlineData("two targets", """{"serial":"5","username":"x"}""")]
    [InlineData("no target", """{"reason":"why"}""")]
    [InlineData("serial zero", """{"serial":"0"}""")]
    [InlineData("serial not decimal", """{"serial":"0x10"}""")]
    [InlineData("not a public key", """{"public_key":"ssh-ed25519 AAAA"}""")]
    [InlineData("an unknown field", """{"serial":"5","serials":["6"]}""")]
    public async Task AMalformedRevocationIs400(string description, string body)
    {
        using var server = RevocationServer.Create();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/revocations")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", StaffDirectoryDouble.AdminToken);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{description}: {response.StatusCode}");
    }

    [Fact]
    public async Task KrlAndSignatureAnswerIfNoneMatchWith304UntilTheNextRevocation()
    {
        using var server = RevocationServer.Create();
        using var client = server.CreateClient();
        using var key = Ed25519PrivateKey.Generate();
        var certificate = await server.IssueAsync("heidi", key);

        foreach (var path in new[] { "/v1/trust/krl", "/v1/trust/krl.sig" })
        {
            using var first = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var etag = first.Headers.ETag!;
            Assert.False(etag.IsWeak);
            using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
            conditional.Headers.IfNoneMatch.Add(etag);
            using var notModified = await client.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
        using var krl = await client.GetAsync("/v1/trust/krl");
        Assert.Equal("application/octet-stream", krl.Content.Headers.ContentType!.MediaType);

        using var revoke = await client.RevokeAsync(StaffDirectoryDouble.AdminToken, new { serial = certificate.Serial.ToString() });
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using var after = new HttpRequestMessage(HttpMethod.Get, "/v1/trust/krl");
        after.Headers.IfNoneMatch.Add(krl.Headers.ETag!);
        using var changed = await client.SendAsync(after);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(krl.Headers.ETag, changed.Headers.ETag);
        Assert.True(KrlParser.Parse(await changed.Content.ReadAsByteArrayAsync()).IsRevoked(certificate));
    }

    [Fact]
    public async Task TwoReplicasOnOneDatabaseServeTheSameKrlBytes()
    {
        using var first = RevocationServer.Create();
        using var firstClient = first.CreateClient();
        using var second = RevocationServer.Create(new Dictionary<string, string?>
        {
            ["Beacon:Database:ConnectionString"] = Path.Combine(first.Directory.Path, "beacon.db"),
        }, first.Cas);
        using var key = Ed25519PrivateKey.Generate();
        var certificate = await first.IssueAsync("ivan", key);
        using var secondClient = second.CreateClient();
        // The second replica builds and caches the KRL before the revocation; it must notice the change.
        var stale = await secondClient.GetByteArrayAsync("/v1/trust/krl");

        using var revoke = await firstClient.RevokeAsync(StaffDirectoryDouble.AdminToken, new { serial = certificate.Serial.ToString() });
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using var a = await firstClient.GetAsync("/v1/trust/krl");
        using var b = await secondClient.GetAsync("/v1/trust/krl");
        Assert.Equal(await a.Content.ReadAsByteArrayAsync(), await b.Content.ReadAsByteArrayAsync());
        Assert.Equal(a.Headers.ETag, b.Headers.ETag);
        Assert.NotEqual(stale, await b.Content.ReadAsByteArrayAsync());
        Assert.True(KrlParser.Parse(await b.Content.ReadAsByteArrayAsync()).IsRevoked(certificate));
    }
}
