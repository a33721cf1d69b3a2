using System.Net;
using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Hosts;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Server.Tests.Revocation;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Server.Tests.Hosts;

/// <summary>
/// Host enrollment through the API with one-time tokens, the Hosts rules and the admin endpoints; run on
/// SQLite and on PostgreSQL by the two classes at the end of the file.
/// </summary>
public abstract class HostEnrollmentTests(BeaconServerFactory server, Beacon.Testing.FakeTimeProvider clock)
{
    private IBeaconStore Store => server.Services.GetRequiredService<IBeaconStore>();

    [DatabaseFact]
    public async Task EnrollmentIssuesOneHostCertificatePerKeyWithTheNamesAsPrincipals()
    {
        using var client = server.CreateClient();
        using var ed25519 = Ed25519PrivateKey.Generate();
        using var ecdsa = EcdsaPrivateKey.Generate(EcdsaCurve.P256);
        var token = await server.MintHostTokenAsync(null, "prod");
        var now = clock.GetUtcNow();

        var enrolled = await client.EnrollAsync(token, ["web1.prod.example.com", "api.prod.example.com"], ed25519.PublicKey, ecdsa.PublicKey);

        Assert.Equal(["prod"], enrolled.Groups);
        Assert.Equal(2, enrolled.Certificates.Count);
        Assert.Equal(ed25519.PublicKey, enrolled.Certificates[0].PublicKey);
        Assert.Equal(ecdsa.PublicKey, enrolled.Certificates[1].PublicKey);
        var serials = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var certificate = enrolled.Certificates[i];
            Assert.Equal(SshCertificateType.Host, certificate.Type);
            Assert.Equal(["web1.prod.example.com", "api.prod.example.com"], certificate.Principals);
            Assert.Equal($"beacon-host:{enrolled.HostId}:web1.prod.example.com", certificate.KeyId);
            Assert.Equal(server.Cas.HostCa.PublicKey, certificate.SignatureKey);
            Assert.True(certificate.VerifySignature());
            Assert.Empty(certificate.Extensions);
            // Back-dated by the one-minute skew; the prod rule's default 720h lifetime.
            Assert.Equal((ulong)(now - TimeSpan.FromMinutes(1)).ToUnixTimeSeconds(), certificate.ValidAfter);
            Assert.Equal((ulong)(now + TimeSpan.FromHours(720)).ToUnixTimeSeconds(), certificate.ValidBefore);
            var json = enrolled.Json.GetProperty("certificates")[i];
            Assert.Equal(certificate.Serial.ToString(), json.GetProperty("serial").GetString());
            Assert.Equal(certificate.ValidBeforeTime, json.GetProperty("valid_before").GetDateTimeOffset());
            serials.Add(certificate.Serial.ToString());
        }

        // Recorded as host certificates, so revocation by serial or key and the KRL cover them.
        var records = await Store.ListCertificatesAsync(new CertificateQuery(Username: enrolled.HostId));
        Assert.Equal(serials.Order(), records.Items.Select(r => r.Serial).Order());
        Assert.All(records.Items, r => Assert.Equal("host", r.CertType));
        var audit = (await Store.ReadAuditAsync().ToListAsync()).Last(e => e.Kind == HostCertificateIssuer.EnrollKind);
        Assert.Equal(AuditOutcome.Success, audit.Outcome);
        Assert.Equal(enrolled.HostId, audit.Subject);
        Assert.All(serials, s => Assert.Contains(s, audit.Details, StringComparison.Ordinal));
        Assert.DoesNotContain(token, audit.Details, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task ATokenEnrollsOnceAndIsUsedUpEvenByARefusedAttempt()
    {
        using var client = server.CreateClient();
        using var key = Ed25519PrivateKey.Generate();
        var token = await server.MintHostTokenAsync(null, "prod");
        await client.EnrollAsync(token, ["db1.prod.example.com"], key.PublicKey);
        var (again, body) = await client.EnrollRawAsync(token, ["db1.prod.example.com"], key.PublicKey);
        Assert.Equal(HttpStatusCode.Unauthorized, again);
        Assert.Contains("already used", body, StringComparison.Ordinal);

        var refusedFirst = await server.MintHostTokenAsync(null, "prod");
        var (status, _) = await client.EnrollRawAsync(refusedFirst, ["db1.example.org"], key.PublicKey);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        var (retry, retryBody) = await client.EnrollRawAsync(refusedFirst, ["db1.prod.example.com"], key.PublicKey);
        Assert.Equal(HttpStatusCode.Unauthorized, retry);
        Assert.Contains("already used", retryBody, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task AnExpiredTokenIsRefused()
    {
        using var client = server.CreateClient();
        var token = await server.MintHostTokenAsync(TimeSpan.FromMinutes(5), "prod");
        var before = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(6));
        try
        {
            var (status, body) = await client.EnrollRawAsync(token, ["web2.prod.example.com"], Ed25519PrivateKey.Generate().PublicKey);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Contains("expired", body, StringComparison.Ordinal);
        }
        finally
        {
            clock.SetUtcNow(before);
        }
    }

    [DatabaseFact]
    public async Task AnUnknownTokenIsRefusedAndAudited()
    {
        using var client = server.CreateClient();
        var (status, body) = await client.EnrollRawAsync(HostEnrollmentToken.Prefix + "nope", ["web3.prod.example.com"], Ed25519PrivateKey.Generate().PublicKey);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("unknown", body, StringComparison.Ordinal);
        var (noToken, _) = await client.EnrollRawAsync(null, ["web3.prod.example.com"], Ed25519PrivateKey.Generate().PublicKey);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken);
        var audit = (await Store.ReadAuditAsync().ToListAsync()).Last(e => e.Kind == HostCertificateIssuer.EnrollKind);
        Assert.Equal(AuditOutcome.Refused, audit.Outcome);
        Assert.Contains("unknown", audit.Details, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[], string[], HttpStatusCode, string> Refusals() => new()
    {
        { "fail-name-outside-the-group", ["prod"], ["web1.prod.example.com", "build7.ci.example.com"], HttpStatusCode.Forbidden, "host name \"build7.ci.example.com\" is not allowed" },
        { "fail-wrong-group", ["runners"], ["web1.prod.example.com"], HttpStatusCode.Forbidden, "host name \"web1.prod.example.com\" is not allowed for group \"runners\"" },
        { "fail-no-names", ["prod"], [], HttpStatusCode.BadRequest, "at least one host name" },
        { "fail-uppercase-name", ["prod"], ["Web1.prod.example.com"], HttpStatusCode.BadRequest, "lowercase" },
        { "fail-wildcard-name", ["prod"], ["*.prod.example.com"], HttpStatusCode.BadRequest, "\"*.prod.example.com\" may hold only" },
        { "fail-repeated-name", ["prod"], ["a.prod.example.com", "a.prod.example.com"], HttpStatusCode.BadRequest, "listed twice" },
    };

    [DatabaseTheory]
    [MemberData(nameof(Refusals), MemberType = typeof(HostEnrollmentTests))]
    public async Task EnrollmentRefusal(string description, string[] groups, string[] names, HttpStatusCode expected, string reason)
    {
        using var client = server.CreateClient();
        var token = await server.MintHostTokenAsync(null, groups);
        var (status, body) = await client.EnrollRawAsync(token, names, Ed25519PrivateKey.Generate().PublicKey);
        Assert.True(status == expected, $"{description}: {(int)status} {body}");
        Assert.Contains(reason, body, StringComparison.Ordinal);
        var audit = (await Store.ReadAuditAsync().ToListAsync()).Last(e => e.Kind == HostCertificateIssuer.EnrollKind);
        Assert.Equal(AuditOutcome.Refused, audit.Outcome);
        Assert.Contains(JsonEncodedText.Encode(reason).ToString(), audit.Details, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task ARunnerCertificateLivesAsLongAsItsRuleAllows()
    {
        using var client = server.CreateClient();
        var token = await server.MintHostTokenAsync(null, "prod", "runners");
        var enrolled = await client.EnrollAsync(token, ["build1.ci.example.com", "web9.prod.example.com"], Ed25519PrivateKey.Generate().PublicKey);
        Assert.Equal(["prod", "runners"], enrolled.Groups);
        // Each name is allowed by its own group's rule; the strictest lifetime (runners: 24h) wins.
        Assert.Equal((ulong)(clock.GetUtcNow() + TimeSpan.FromHours(24)).ToUnixTimeSeconds(), enrolled.Certificates[0].ValidBefore);
    }

    /// <summary>A 1024-bit RSA public key (our own generator refuses to make one).</summary>
    private static string Rsa1024()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(1024);
        var parameters = rsa.ExportParameters(false);
        return new RsaPublicKey(parameters.Exponent, parameters.Modulus).ToOpenSshString();
    }

    public static TheoryData<string, string, string> BadKeys() => new()
    {
        { "fail-dsa-key", "ssh-dss AAAAB3NzaC1kc3MAAACBAP", "public_keys" },
        { "fail-rsa-1024", Rsa1024(), "at least 2048" },
        { "fail-garbage", "ssh-ed25519 not-base64!!", "public_keys" },
    };

    [DatabaseTheory]
    [MemberData(nameof(BadKeys), MemberType = typeof(HostEnrollmentTests))]
    public async Task AKeyThatMayNotBeCertifiedIsRefused(string description, string key, string reason)
    {
        using var client = server.CreateClient();
        var token = await server.MintHostTokenAsync(null, "prod");
        using var response = await client.PostAsync("/v1/hosts/enroll", token, new { names = new[] { "k.prod.example.com" }, public_keys = new[] { key } });
        var body = await HostApi.BodyOrDetailAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{description}: {(int)response.StatusCode} {body}");
        Assert.Contains(reason, body, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task TheHostCaKeyItselfIsNeverCertified()
    {
        using var client = server.CreateClient();
        var token = await server.MintHostTokenAsync(null, "prod");
        var (status, body) = await client.EnrollRawAsync(token, ["ca.prod.example.com"], server.Cas.HostCa.PublicKey);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("is a CA key", body, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task AnAdminMintsAHostTokenThatEnrollsAndListsTheHost()
    {
        using var client = server.CreateClient();
        using var response = await client.PostAsync("/v1/admin/host-tokens", StaffDirectoryDouble.AdminToken, new { groups = new[] { "prod" }, ttl = "30m" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var json = JsonDocument.Parse(body).RootElement;
        var token = json.GetProperty("token").GetString()!;
        Assert.StartsWith(HostEnrollmentToken.Prefix, token, StringComparison.Ordinal);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(30), json.GetProperty("expires_at").GetDateTimeOffset());
        var created = (await Store.ReadAuditAsync().ToListAsync()).Last(e => e.Kind == HostEnrollmentToken.CreateKind);
        Assert.Equal("staff:alice-id", created.Actor);
        Assert.DoesNotContain(token, created.Details, StringComparison.Ordinal);

        var enrolled = await client.EnrollAsync(token, ["listed.prod.example.com"], Ed25519PrivateKey.Generate().PublicKey);
        using var list = await client.GetAsync("/v1/admin/hosts?limit=500", StaffDirectoryDouble.AdminToken);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var page = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement;
        var host = page.GetProperty("items").EnumerateArray().Single(h => h.GetProperty("host_id").GetString() == enrolled.HostId);
        Assert.Equal("listed.prod.example.com", host.GetProperty("names")[0].GetString());
        Assert.Equal("prod", host.GetProperty("groups")[0].GetString());
        Assert.True(page.GetProperty("total").GetInt64() >= 1);
    }

    [DatabaseFact]
    public async Task TheHostAdminEndpointsRefuseNonAdmins()
    {
        using var client = server.CreateClient();
        using var mint = await client.PostAsync("/v1/admin/host-tokens", StaffDirectoryDouble.StaffToken, new { groups = new[] { "prod" } });
        Assert.Equal(HttpStatusCode.Forbidden, mint.StatusCode);
        using var list = await client.GetAsync("/v1/admin/hosts", StaffDirectoryDouble.StaffToken);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        // A host enrollment token is no admin credential either.
        var hostToken = await server.MintHostTokenAsync(null, "prod");
        using var asHost = await client.GetAsync("/v1/admin/hosts", hostToken);
        Assert.Equal(HttpStatusCode.Unauthorized, asHost.StatusCode);
        var refusals = (await Store.ReadAuditAsync().ToListAsync()).Where(e => e.Outcome == AuditOutcome.Refused && e.Actor == "staff:bob-id").ToList();
        Assert.Contains(refusals, e => e.Kind == HostEnrollmentToken.CreateKind);
        Assert.Contains(refusals, e => e.Kind == Beacon.Server.Api.HostAdminEndpoints.ListKind);
    }

    [DatabaseFact]
    public async Task AHostTokenForAGroupWithoutAHostsRuleIsRefused()
    {
        using var client = server.CreateClient();
        using var response = await client.PostAsync("/v1/admin/host-tokens", StaffDirectoryDouble.AdminToken, new { groups = new[] { "prdo" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no Hosts rule of the policy names group \"prdo\"", await HostApi.BodyOrDetailAsync(response), StringComparison.Ordinal);
    }
}

public sealed class HostEnrollmentOnSqlite(SqliteHostServerFixture fixture)
    : HostEnrollmentTests(fixture.Factory, fixture.Clock), IClassFixture<SqliteHostServerFixture>;

[RequiresPostgres]
public sealed class HostEnrollmentOnPostgres(PostgresHostServerFixture fixture)
    : HostEnrollmentTests(fixture.Factory, fixture.Clock), IClassFixture<PostgresHostServerFixture>;
