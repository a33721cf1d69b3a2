using System.Net;
using Beacon.Server.Audit;
using Beacon.Server.Hosts;
using Beacon.Server.Revocation;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Server.Tests.Hosts;

/// <summary>
/// Renewal by proof of possession: the happy path and every refusal of the contract; run on SQLite and
/// on PostgreSQL by the two classes at the end of the file.
/// </summary>
public abstract class HostRenewalTests(BeaconServerFactory server, Beacon.Testing.FakeTimeProvider clock)
{
    private IBeaconStore Store => server.Services.GetRequiredService<IBeaconStore>();

    private async Task<(SshCertificate Certificate, SshPrivateKey Key, string HostId)> EnrollAsync(HttpClient client, string name = "web1.prod.example.com")
    {
        var key = Ed25519PrivateKey.Generate();
        var enrolled = await client.EnrollAsync(await server.MintHostTokenAsync(null, "prod"), [name], key.PublicKey);
        return (enrolled.Certificates[0], key, enrolled.HostId);
    }

    private async Task<AuditEvent> LastRenewalAuditAsync() => (await Store.ReadAuditAsync().ToListAsync()).Last(e => e.Kind == HostCertificateIssuer.RenewKind);

    [DatabaseFact]
    public async Task AHostRenewsWithItsOwnKeyAndGetsANewCertificateForTheSameNamesAndGroups()
    {
        using var client = server.CreateClient();
        var (certificate, key, hostId) = await EnrollAsync(client, "web1.prod.example.com");
        var (status, body, challenge) = await client.ChallengeAsync(certificate);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(32, challenge!.Length);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(60),
            System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("expires_at").GetDateTimeOffset());

        clock.Advance(TimeSpan.FromSeconds(30));
        var before = clock.GetUtcNow();
        try
        {
            var (renewStatus, renewBody) = await client.RenewRawAsync(certificate, challenge, HostApi.Sign(key, challenge));
            Assert.True(renewStatus == HttpStatusCode.OK, renewBody);
            var renewed = HostApi.Parse(renewBody);
            Assert.Equal(hostId, renewed.HostId);
            Assert.Equal(["prod"], renewed.Groups);
            var fresh = Assert.Single(renewed.Certificates);
            Assert.Equal(key.PublicKey, fresh.PublicKey);
            Assert.Equal(SshCertificateType.Host, fresh.Type);
            Assert.Equal(certificate.Principals, fresh.Principals);
            Assert.Equal(certificate.KeyId, fresh.KeyId);
            Assert.NotEqual(certificate.Serial, fresh.Serial);
            Assert.Equal((ulong)(before + TimeSpan.FromHours(720)).ToUnixTimeSeconds(), fresh.ValidBefore);

            var record = await server.Services.GetRequiredService<IHostStore>().FindCertificateAsync(fresh.Serial.ToString());
            Assert.Equal("host", record!.CertType);
            var audit = await LastRenewalAuditAsync();
            Assert.Equal(AuditOutcome.Success, audit.Outcome);
            Assert.Equal($"host:{hostId}", audit.Actor);
            Assert.Contains(fresh.Serial.ToString(), audit.Details, StringComparison.Ordinal);
            Assert.Contains(certificate.Serial.ToString(), audit.Details, StringComparison.Ordinal);
            var host = await server.Services.GetRequiredService<IHostStore>().FindHostAsync(hostId);
            Assert.Equal(before.ToUnixTimeMilliseconds(), host!.RenewedAt);

            // The renewed certificate renews in turn.
            var again = await client.RenewAsync(fresh, key);
            Assert.Equal(hostId, again.HostId);
        }
        finally
        {
            clock.SetUtcNow(before - TimeSpan.FromSeconds(30));
        }
    }

    [DatabaseFact]
    public async Task AReplayedChallengeIsRefused()
    {
        using var client = server.CreateClient();
        var (certificate, key, _) = await EnrollAsync(client);
        var (_, _, challenge) = await client.ChallengeAsync(certificate);
        var signature = HostApi.Sign(key, challenge!);
        var (first, _) = await client.RenewRawAsync(certificate, challenge!, signature);
        Assert.Equal(HttpStatusCode.OK, first);
        var (replay, detail) = await client.RenewRawAsync(certificate, challenge!, signature);
        Assert.Equal(HttpStatusCode.Forbidden, replay);
        Assert.Contains("already used", detail, StringComparison.Ordinal);
        Assert.Equal(AuditOutcome.Refused, (await LastRenewalAuditAsync()).Outcome);
    }

    [DatabaseFact]
    public async Task AChallengeForAnotherCertificateIsRefused()
    {
        using var client = server.CreateClient();
        var (mine, myKey, _) = await EnrollAsync(client, "a.prod.example.com");
        var (theirs, _, _) = await EnrollAsync(client, "b.prod.example.com");
        var (_, _, theirChallenge) = await client.ChallengeAsync(theirs);
        var (status, detail) = await client.RenewRawAsync(mine, theirChallenge!, HostApi.Sign(myKey, theirChallenge!));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("issued for another certificate", detail, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadSignatures() => new()
    {
        { "fail-another-key", "another-key" },
        { "fail-wrong-namespace", "wrong-namespace" },
        { "fail-other-bytes", "other-bytes" },
        { "fail-not-a-signature", "garbage" },
    };

    [DatabaseTheory]
    [MemberData(nameof(BadSignatures), MemberType = typeof(HostRenewalTests))]
    public async Task ASignatureThatDoesNotVerifyIsRefused(string description, string kind)
    {
        using var client = server.CreateClient();
        var (certificate, key, _) = await EnrollAsync(client);
        var (_, _, challenge) = await client.ChallengeAsync(certificate);
        using var other = Ed25519PrivateKey.Generate();
        var signature = kind switch
        {
            "another-key" => HostApi.Sign(other, challenge!),
            "wrong-namespace" => HostApi.Sign(key, challenge!, "file"),
            "other-bytes" => HostApi.Sign(key, [.. challenge!, 0]),
            _ => "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n",
        };
        var (status, detail) = await client.RenewRawAsync(certificate, challenge!, signature);
        Assert.True(status == HttpStatusCode.Forbidden, $"{description}: {(int)status} {detail}");
        Assert.Contains(kind == "garbage" ? "signature:" : "does not verify", detail, StringComparison.Ordinal);
        // The failed attempt used the challenge up: no second guess with it.
        var (retry, retryDetail) = await client.RenewRawAsync(certificate, challenge!, HostApi.Sign(key, challenge!));
        Assert.Equal(HttpStatusCode.Forbidden, retry);
        Assert.Contains("already used", retryDetail, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task AnExpiredChallengeIsRefused()
    {
        using var client = server.CreateClient();
        var (certificate, key, _) = await EnrollAsync(client);
        var (_, _, challenge) = await client.ChallengeAsync(certificate);
        var before = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(61));
        try
        {
            var (status, detail) = await client.RenewRawAsync(certificate, challenge!, HostApi.Sign(key, challenge!));
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("expired", detail, StringComparison.Ordinal);
        }
        finally
        {
            clock.SetUtcNow(before);
        }
    }

    [DatabaseFact]
    public async Task AnUnknownChallengeIsRefused()
    {
        using var client = server.CreateClient();
        var (certificate, key, _) = await EnrollAsync(client);
        var invented = new byte[32];
        var (status, detail) = await client.RenewRawAsync(certificate, invented, HostApi.Sign(key, invented));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("unknown", detail, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task AnExpiredCertificateIsRefused()
    {
        using var client = server.CreateClient();
        var (certificate, key, _) = await EnrollAsync(client);
        var (_, _, challenge) = await client.ChallengeAsync(certificate);
        var before = clock.GetUtcNow();
        clock.SetUtcNow(certificate.ValidBeforeTime);
        try
        {
            var (status, detail) = await client.RenewRawAsync(certificate, challenge!, HostApi.Sign(key, challenge!));
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("expired", detail, StringComparison.Ordinal);
            var (challengeStatus, _, _) = await client.ChallengeAsync(certificate);
            Assert.Equal(HttpStatusCode.Forbidden, challengeStatus);
        }
        finally
        {
            clock.SetUtcNow(before);
        }
    }

    [DatabaseFact]
    public async Task ACertificateFromAForeignCaIsRefused()
    {
        using var client = server.CreateClient();
        var (certificate, key, _) = await EnrollAsync(client);
        using var foreign = Ed25519PrivateKey.Generate();
        // The same fields and serial, signed by a CA the server does not trust for hosts.
        var forged = new SshCertificateBuilder
        {
            PublicKey = key.PublicKey,
            Type = SshCertificateType.Host,
            KeyId = certificate.KeyId,
            Principals = certificate.Principals,
            ValidAfter = certificate.ValidAfter,
            ValidBefore = certificate.ValidBefore,
            Serial = certificate.Serial,
        }.Sign(foreign);
        var (status, detail, _) = await client.ChallengeAsync(forged);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("not a trusted CA", detail, StringComparison.Ordinal);

        // The user CA is not a host CA either.
        var userSigned = new SshCertificateBuilder
        {
            PublicKey = key.PublicKey,
            Type = SshCertificateType.Host,
            KeyId = certificate.KeyId,
            Principals = certificate.Principals,
            ValidAfter = certificate.ValidAfter,
            ValidBefore = certificate.ValidBefore,
        }.Sign(server.Cas.UserCa);
        var (userStatus, _, _) = await client.ChallengeAsync(userSigned);
        Assert.Equal(HttpStatusCode.Forbidden, userStatus);

        var (_, _, challenge) = await client.ChallengeAsync(certificate);
        var (renewStatus, renewDetail) = await client.RenewRawAsync(forged, challenge!, HostApi.Sign(key, challenge!));
        Assert.Equal(HttpStatusCode.Forbidden, renewStatus);
        Assert.Contains("not a trusted CA", renewDetail, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task ACertificateTheServerNeverIssuedIsRefused()
    {
        using var client = server.CreateClient();
        using var key = Ed25519PrivateKey.Generate();
        // Signed by the trusted host CA, but outside the server (as the offline CA could): not a host the server knows.
        var unknown = new SshCertificateBuilder
        {
            PublicKey = key.PublicKey,
            Type = SshCertificateType.Host,
            KeyId = "beacon-host:0000:x.prod.example.com",
            Principals = ["x.prod.example.com"],
            ValidAfter = (ulong)clock.GetUtcNow().AddMinutes(-1).ToUnixTimeSeconds(),
            ValidBefore = (ulong)clock.GetUtcNow().AddDays(1).ToUnixTimeSeconds(),
        }.Sign(server.Cas.HostCa);
        var (status, detail, _) = await client.ChallengeAsync(unknown);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("unknown to the server", detail, StringComparison.Ordinal);
        Assert.Equal(AuditOutcome.Refused, (await LastRenewalAuditAsync()).Outcome);
    }

    [DatabaseFact]
    public async Task ACertificateRevokedBySerialIsRefused()
    {
        using var client = server.CreateClient();
        var (certificate, key, _) = await EnrollAsync(client);
        var (_, _, challenge) = await client.ChallengeAsync(certificate);
        var (request, _) = RevocationRequest.Create(certificate.Serial.ToString(), null, null);
        var result = await server.Services.GetRequiredService<Revoker>().RevokeAsync(request!, "test", "host decommissioned");
        Assert.Equal(certificate.Serial.ToString(), Assert.Single(result.Certificates).Serial);

        var (status, detail) = await client.RenewRawAsync(certificate, challenge!, HostApi.Sign(key, challenge!));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains($"certificate {certificate.Serial} is revoked", detail, StringComparison.Ordinal);
        var (challengeStatus, _, _) = await client.ChallengeAsync(certificate);
        Assert.Equal(HttpStatusCode.Forbidden, challengeStatus);

        // And the served KRL carries it, so clients that check RevokedHostKeys refuse the host too.
        var krl = Beacon.Ssh.Krl.KrlParser.Parse(await client.GetByteArrayAsync("/v1/trust/krl"));
        Assert.True(krl.IsRevoked(certificate));
    }

    [DatabaseFact]
    public async Task ACertificateWhoseKeyIsRevokedIsRefused()
    {
        using var client = server.CreateClient();
        var (certificate, key, _) = await EnrollAsync(client);
        var (_, _, challenge) = await client.ChallengeAsync(certificate);
        var (request, _) = RevocationRequest.Create(null, key.PublicKey.ToOpenSshString(), null);
        await server.Services.GetRequiredService<Revoker>().RevokeAsync(request!, "test", "key leaked");

        var (status, detail) = await client.RenewRawAsync(certificate, challenge!, HostApi.Sign(key, challenge!));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("revoked", detail, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task AMalformedCertificateIsABadRequest()
    {
        using var client = server.CreateClient();
        using var response = await client.PostAsync("/v1/hosts/renew/challenge", null, new { certificate = "ssh-ed25519-cert-v01@openssh.com AAAA" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var missing = await client.PostAsync("/v1/hosts/renew", null, new { challenge = "AAAA" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }
}

public sealed class HostRenewalOnSqlite(SqliteHostServerFixture fixture)
    : HostRenewalTests(fixture.Factory, fixture.Clock), IClassFixture<SqliteHostServerFixture>;

[RequiresPostgres]
public sealed class HostRenewalOnPostgres(PostgresHostServerFixture fixture)
    : HostRenewalTests(fixture.Factory, fixture.Clock), IClassFixture<PostgresHostServerFixture>;
