using System.Net;
using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Server.Tests.Issuance;

/// <summary>
/// The signing path through the HTTP API with the one-time token provider, table style; run on SQLite
/// and on PostgreSQL by the two classes at the end of the file.
/// </summary>
public abstract class SigningPathTests(BeaconServerFactory factory)
{
    private readonly BeaconServerFactory _factory = factory;

    private static readonly string UserKey = Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString("alice@laptop");

    /// <summary>A 1024-bit RSA public key (our own generator refuses to make one).</summary>
    private static string Rsa1024()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(1024);
        var parameters = rsa.ExportParameters(false);
        return new RsaPublicKey(parameters.Exponent, parameters.Modulus).ToOpenSshString();
    }

    public static TheoryData<string, object, HttpStatusCode, string?> Cases() => new()
    {
        { "ok-defaults", new { public_key = UserKey }, HttpStatusCode.Created, null },
        { "ok-principal-and-ttl", new { public_key = UserKey, principals = new[] { "deploy" }, ttl = "10m" }, HttpStatusCode.Created, null },
        { "ok-ecdsa-key", new { public_key = EcdsaPrivateKey.Generate(EcdsaCurve.P384).PublicKey.ToString() }, HttpStatusCode.Created, null },
        { "ok-rsa-2048", new { public_key = RsaPrivateKey.Generate(2048).PublicKey.ToString() }, HttpStatusCode.Created, null },
        { "fail-principal-not-in-token", new { public_key = UserKey, principals = new[] { "root" } }, HttpStatusCode.Forbidden, "principal \"root\" is not allowed by the token" },
        { "fail-ttl-over-max", new { public_key = UserKey, ttl = "2h" }, HttpStatusCode.Forbidden, "exceeds the maximum" },
        { "fail-empty-principals", new { public_key = UserKey, principals = Array.Empty<string>() }, HttpStatusCode.BadRequest, "empty list" },
        { "fail-garbage-key", new { public_key = "ssh-ed25519 not-base64!!" }, HttpStatusCode.BadRequest, "public_key" },
        { "fail-missing-key", new { ttl = "5m" }, HttpStatusCode.BadRequest, "public_key is required" },
        { "fail-dsa-key", new { public_key = "ssh-dss AAAAB3NzaC1kc3MAAACBAP" }, HttpStatusCode.BadRequest, "public_key" },
        { "fail-rsa-1024", new { public_key = Rsa1024() }, HttpStatusCode.BadRequest, "at least 2048" },
        { "fail-unknown-field", new { public_key = UserKey, bogus = 1 }, HttpStatusCode.BadRequest, "not valid JSON" },
        { "fail-bad-ttl", new { public_key = UserKey, ttl = "forever" }, HttpStatusCode.BadRequest, "ttl" },
        { "fail-unknown-critical-option", new { public_key = UserKey, critical_options = new Dictionary<string, string> { ["no-such"] = "x" } }, HttpStatusCode.BadRequest, "critical option" },
        { "fail-bad-source-address", new { public_key = UserKey, critical_options = new Dictionary<string, string> { ["source-address"] = "not-a-cidr" } }, HttpStatusCode.BadRequest, "source-address" },
    };

    [DatabaseTheory]
    [MemberData(nameof(Cases), MemberType = typeof(SigningPathTests))]
    public async Task SigningRequest(string name, object body, HttpStatusCode expected, string? detail)
    {
        var token = await _factory.MintTokenAsync("alice", "alice", "deploy");
        using var client = _factory.CreateClient();
        using var response = await client.RequestCertificateAsync(token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{name}: {(int)response.StatusCode} {text}");
        if (expected == HttpStatusCode.Created)
        {
            using var json = JsonDocument.Parse(text);
            var certificate = SshCertificateParser.ParseLine(json.RootElement.GetProperty("certificate").GetString()!);
            Assert.True(certificate.VerifySignature());
            Assert.Equal(_factory.Cas.UserCa.PublicKey, certificate.SignatureKey);
            Assert.Equal(SshCertificateType.User, certificate.Type);
            Assert.NotEmpty(certificate.Principals);
            Assert.Equal(certificate.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture), json.RootElement.GetProperty("serial").GetString());
            Assert.StartsWith("beacon:token:alice:", certificate.KeyId, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(text);
            Assert.Contains(detail!, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [DatabaseFact]
    public async Task OneTimeTokenCannotBeUsedTwice()
    {
        var token = await _factory.MintTokenAsync("bob", "bob");
        using var client = _factory.CreateClient();
        using var first = await client.RequestCertificateAsync(token, new { public_key = UserKey });
        using var second = await client.RequestCertificateAsync(token, new { public_key = UserKey });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
    }

    [DatabaseFact]
    public async Task MissingTokenGets401WithBearerChallenge()
    {
        using var client = _factory.CreateClient();
        using var response = await client.RequestCertificateAsync(null, new { public_key = UserKey });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task CaOwnKeyIsRefused()
    {
        var token = await _factory.MintTokenAsync("carol", "carol");
        using var client = _factory.CreateClient();
        using var response = await client.RequestCertificateAsync(token, new { public_key = _factory.Cas.UserCa.PublicKey.ToString() });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is a CA key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task CertificateAsPublicKeyIsRefused()
    {
        var token = await _factory.MintTokenAsync("dave", "dave");
        using var client = _factory.CreateClient();
        var key = Ed25519PrivateKey.Generate();
        var cert = new SshCertificateBuilder
        {
            PublicKey = key.PublicKey, Type = SshCertificateType.User, KeyId = "x", Principals = ["dave"], ValidAfter = 0, ValidBefore = SshCertificate.Forever,
        }.Sign(key);
        using var response = await client.RequestCertificateAsync(token, new { public_key = cert.ToOpenSshString() });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [DatabaseFact]
    public async Task OversizedBodyGets413()
    {
        var token = await _factory.MintTokenAsync("erin", "erin");
        using var client = _factory.CreateClient();
        using var response = await client.RequestCertificateAsync(token, new { public_key = UserKey + new string('x', 100_000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [DatabaseFact]
    public async Task EveryIssuedCertificateHasExactlyOneAuditEventAndTheChainVerifies()
    {
        using var client = _factory.CreateClient();
        var serials = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var token = await _factory.MintTokenAsync($"user{i}", $"user{i}");
            using var response = await client.RequestCertificateAsync(token, new { public_key = UserKey });
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            serials.Add(json.RootElement.GetProperty("serial").GetString()!);
        }
        var store = _factory.Services.GetRequiredService<IBeaconStore>();
        var events = new List<AuditEvent>();
        await foreach (var e in store.ReadAuditAsync())
        {
            events.Add(e);
        }
        foreach (var serial in serials)
        {
            Assert.Single(events, e => e.Kind == "certificate.issue" && JsonDocument.Parse(e.Details).RootElement.GetProperty("serial").GetString() == serial);
        }
        Assert.True((await AuditVerifier.VerifyAsync(store.ReadAuditAsync())).Ok);
        Assert.DoesNotContain(events, e => e.Details.Contains("beacon-ott-", StringComparison.Ordinal));
    }

    [DatabaseFact]
    public async Task DisabledUserIsRefusedAtOnce()
    {
        using var client = _factory.CreateClient();
        var first = await _factory.MintTokenAsync("frank", "frank");
        using (var ok = await client.RequestCertificateAsync(first, new { public_key = UserKey }))
        {
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        var store = _factory.Services.GetRequiredService<IBeaconStore>();
        await store.SetUserDisabledAsync("frank", true, "left", new AuditDraft("user.disable", "success", "test", "frank", new Dictionary<string, object?>()));
        var second = await _factory.MintTokenAsync("frank", "frank");
        using var refused = await client.RequestCertificateAsync(second, new { public_key = UserKey });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("disabled", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task TrustEndpointsServeTheCaKeys()
    {
        using var client = _factory.CreateClient();
        var userCa = SshPublicKeyParser.ParseLine(await client.GetStringAsync("/v1/trust/user-ca.pub"));
        Assert.Equal(_factory.Cas.UserCa.PublicKey, userCa);
        var knownHosts = await client.GetStringAsync("/v1/trust/known_hosts");
        Assert.StartsWith("@cert-authority * ssh-ed25519 ", knownHosts, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("beacon_http_request_duration_seconds_bucket", metrics, StringComparison.Ordinal);
    }
}

/// <summary>The signing path on SQLite.</summary>
public sealed class SigningPathOnSqlite(SqliteServerFixture server) : SigningPathTests(server.Factory), IClassFixture<SqliteServerFixture>;

/// <summary>The signing path on PostgreSQL.</summary>
[RequiresPostgres]
public sealed class SigningPathOnPostgres(PostgresServerFixture server) : SigningPathTests(server.Factory), IClassFixture<PostgresServerFixture>;
