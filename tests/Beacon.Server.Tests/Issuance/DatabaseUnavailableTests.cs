using System.Net;
using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Server.Tests.Issuance;

/// <summary>
/// A real database outage (the PostgreSQL server stopped) during issuance: 503 problem+json, never a
/// 500, no certificate stored or returned, and beacon_audit_write_failures_total counts it.
/// </summary>
public sealed class DatabaseUnavailableTests(PostgresEngine engine) : IClassFixture<PostgresEngine>, IDisposable
{
    private static readonly string UserKey = Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString();

    private readonly List<BeaconServerFactory> _factories = [];

    [RequiresPostgresFact]
    public async Task StoppedDatabaseGives503AndNoCertificate()
    {
        var (factory, connectionString) = await StartServerAsync();
        var token = await factory.MintTokenAsync("alice", "alice");
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        engine.Server.Stop();
        using var response = await client.RequestCertificateAsync(token, new { public_key = UserKey });
        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "no certificate was issued");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(1, await AuditWriteFailuresAsync(client));

        engine.Server.Restart();
        Assert.Equal(0, await CountAsync(connectionString, "SELECT COUNT(*) FROM certificates"));
        Assert.Equal(0, await CountAsync(connectionString, "SELECT COUNT(*) FROM audit_events WHERE kind = 'certificate.issue'"));
        // The token was not spent by the failed request: the caller can retry once the database is back.
        using var retry = await client.RequestCertificateAsync(token, new { public_key = UserKey });
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
    }

    [RequiresPostgresFact]
    public async Task AuditWriteFailureWithholdsTheSignedCertificate()
    {
        // The outage strikes after authentication, policy and signing, just before the durable record.
        var (factory, connectionString) = await StartServerAsync(services => services.AddSingleton<IBeaconStore>(sp =>
            new OutageBeforeRecording(new SqlBeaconStore(sp.GetRequiredService<ISqlDialect>(), sp.GetRequiredService<TimeProvider>()), engine.Server.Stop)));
        var token = await factory.MintTokenAsync("bob", "bob");
        using var client = factory.CreateClient();

        using var response = await client.RequestCertificateAsync(token, new { public_key = UserKey });
        var body = await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "audit record could not be stored");
        Assert.DoesNotContain("-cert-v01@openssh.com", body, StringComparison.Ordinal);
        Assert.Equal(1, await AuditWriteFailuresAsync(client));
        Assert.Contains("beacon_certificates_refused_total{provider=\"token\",reason=\"unavailable\"} 1", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);

        engine.Server.Restart();
        Assert.Equal(0, await CountAsync(connectionString, "SELECT COUNT(*) FROM certificates"));
        Assert.Equal(0, await CountAsync(connectionString, "SELECT COUNT(*) FROM audit_events WHERE kind = 'certificate.issue'"));
    }

    [RequiresPostgresFact]
    public async Task OtherEndpointsGive503NotA500WhenTheDatabaseIsDown()
    {
        var (factory, _) = await StartServerAsync();
        var token = await factory.MintTokenAsync("carol", "carol");
        using var client = factory.CreateClient();
        engine.Server.Stop();

        foreach (var path in new[] { "/v1/me", "/v1/me/certificates" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "database could not be reached");
        }
    }

    private async Task<(BeaconServerFactory Factory, string ConnectionString)> StartServerAsync(Action<IServiceCollection>? overrides = null)
    {
        engine.Server.Restart();
        var connectionString = await engine.Server.CreateDatabaseAsync();
        var factory = new BeaconServerFactory(database: DatabaseTarget.Postgres(connectionString)) { OverrideServices = overrides };
        _factories.Add(factory);
        return (factory, connectionString);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return body;
    }

    private static async Task<long> AuditWriteFailuresAsync(HttpClient client)
    {
        var metrics = await client.GetStringAsync("/metrics");
        var line = metrics.Split('\n').Single(l => l.StartsWith("beacon_audit_write_failures_total ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    public void Dispose()
    {
        _factories.ForEach(f => f.Dispose());
        if (engine.Available)
        {
            engine.Server.Restart();
        }
    }

    /// <summary>The real store, except that the database goes down just before an issuance is recorded.</summary>
    private sealed class OutageBeforeRecording(IBeaconStore inner, Action outage) : IBeaconStore
    {
        public Task<AuditEvent> RecordIssuanceAsync(CertificateRecord certificate, AuditDraft audit, CancellationToken cancellationToken = default)
        {
            outage();
            return inner.RecordIssuanceAsync(certificate, audit, cancellationToken);
        }

        public Task MigrateAsync(CancellationToken cancellationToken = default) => inner.MigrateAsync(cancellationToken);

        public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => inner.IsReachableAsync(cancellationToken);

        public Task<UserRecord> TouchUserAsync(string provider, string subject, string username, string? email, long nowMs, CancellationToken cancellationToken = default) =>
            inner.TouchUserAsync(provider, subject, username, email, nowMs, cancellationToken);

        public Task<IReadOnlyList<UserRecord>> FindUsersAsync(string username, CancellationToken cancellationToken = default) =>
            inner.FindUsersAsync(username, cancellationToken);

        public Task<int> SetUserDisabledAsync(string username, bool disabled, string? reason, AuditDraft audit, CancellationToken cancellationToken = default) =>
            inner.SetUserDisabledAsync(username, disabled, reason, audit, cancellationToken);

        public Task<AuditEvent> AppendAuditAsync(AuditDraft audit, CancellationToken cancellationToken = default) => inner.AppendAuditAsync(audit, cancellationToken);

        public Task CreateOneTimeTokenAsync(OneTimeTokenRecord token, AuditDraft audit, CancellationToken cancellationToken = default) =>
            inner.CreateOneTimeTokenAsync(token, audit, cancellationToken);

        public Task<OneTimeTokenRecord?> ConsumeOneTimeTokenAsync(string tokenHash, string kind, long nowMs, CancellationToken cancellationToken = default) =>
            inner.ConsumeOneTimeTokenAsync(tokenHash, kind, nowMs, cancellationToken);

        public Task<OneTimeTokenRecord?> PeekOneTimeTokenAsync(string tokenHash, string kind, long nowMs, CancellationToken cancellationToken = default) =>
            inner.PeekOneTimeTokenAsync(tokenHash, kind, nowMs, cancellationToken);

        public Task<Page<CertificateRecord>> ListCertificatesAsync(CertificateQuery query, CancellationToken cancellationToken = default) =>
            inner.ListCertificatesAsync(query, cancellationToken);

        public Task<IReadOnlyList<CertificateRecord>> RevokeCertificatesAsync(string? serial, string? username, string actor, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default) =>
            inner.RevokeCertificatesAsync(serial, username, actor, nowMs, audit, cancellationToken);

        public Task<KeyRevocationOutcome> RevokePublicKeyAsync(RevokedKeyRecord key, AuditDraft audit, CancellationToken cancellationToken = default) =>
            inner.RevokePublicKeyAsync(key, audit, cancellationToken);

        public Task<long> KrlVersionAsync(CancellationToken cancellationToken = default) => inner.KrlVersionAsync(cancellationToken);

        public Task<RevocationSnapshot> ReadRevocationsAsync(CancellationToken cancellationToken = default) => inner.ReadRevocationsAsync(cancellationToken);

        public Task<string?> AnyCertificateOfCaAsync(string caFingerprint, CancellationToken cancellationToken = default) =>
            inner.AnyCertificateOfCaAsync(caFingerprint, cancellationToken);

        public Task<PolicyVersion?> LatestPolicyAsync(CancellationToken cancellationToken = default) => inner.LatestPolicyAsync(cancellationToken);

        public Task<IReadOnlyList<PolicyVersion>> PolicyHistoryAsync(CancellationToken cancellationToken = default) => inner.PolicyHistoryAsync(cancellationToken);

        public Task<PolicyVersion> SavePolicyAsync(string document, string actor, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default) =>
            inner.SavePolicyAsync(document, actor, nowMs, audit, cancellationToken);

        public IAsyncEnumerable<AuditEvent> ReadAuditAsync(long fromSeq = 1, CancellationToken cancellationToken = default) => inner.ReadAuditAsync(fromSeq, cancellationToken);
    }
}
