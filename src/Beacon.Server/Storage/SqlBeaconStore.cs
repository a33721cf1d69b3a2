using System.Data.Common;
using System.Runtime.CompilerServices;
using Beacon.Server.Audit;
using Dapper;

namespace Beacon.Server.Storage;

/// <summary>
/// The store over SQLite or PostgreSQL. The SQL is shared; <see cref="ISqlDialect"/> carries the
/// differences (connections, the chain lock, error classification).
/// </summary>
public sealed partial class SqlBeaconStore(ISqlDialect dialect, TimeProvider clock) : IBeaconStore
{
    private const string CertificateColumns =
        "serial, cert_type AS CertType, user_id AS UserId, username, provider, key_id AS KeyId, principals, host_group AS HostGroup, " +
        "public_key_fingerprint AS PublicKeyFingerprint, ca_fingerprint AS CaFingerprint, valid_after AS ValidAfter, " +
        "valid_before AS ValidBefore, issued_at AS IssuedAt, client_address AS ClientAddress, request_id AS RequestId, " +
        "certificate, revoked_at AS RevokedAt, revoked_by AS RevokedBy";

    private const string UserColumns =
        "id, provider, subject, username, email, first_seen AS FirstSeen, last_seen AS LastSeen, disabled AS DisabledFlag, disabled_reason AS DisabledReason";

    public ISqlDialect Dialect => dialect;

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_migrations", cancellationToken: cancellationToken));
            return true;
        }
        catch (Exception e) when (e is StoreUnavailableException || dialect.IsUnavailable(e) || e is DbException)
        {
            return false;
        }
    }

    public Task<UserRecord> TouchUserAsync(string provider, string subject, string username, string? email, long nowMs, CancellationToken cancellationToken = default) =>
        RunAsync(async connection =>
        {
            var parameters = new { provider, subject, username, email, now = nowMs };
            // One statement, so two replicas seeing a new user at once cannot both insert it.
            return await connection.QuerySingleAsync<UserRecord>(new CommandDefinition(
                "INSERT INTO users (provider, subject, username, email, first_seen, last_seen) VALUES (@provider, @subject, @username, @email, @now, @now) " +
                "ON CONFLICT (provider, subject) DO UPDATE SET last_seen = excluded.last_seen, username = excluded.username, email = excluded.email " +
                $"RETURNING {UserColumns}", parameters, cancellationToken: cancellationToken));
        }, cancellationToken);

    public Task<IReadOnlyList<UserRecord>> FindUsersAsync(string username, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<UserRecord>>(async connection =>
            (await connection.QueryAsync<UserRecord>(new CommandDefinition(
                $"SELECT {UserColumns} FROM users WHERE username = @username ORDER BY id", new { username }, cancellationToken: cancellationToken))).AsList(),
            cancellationToken);

    public Task<int> SetUserDisabledAsync(string username, bool disabled, string? reason, AuditDraft audit, CancellationToken cancellationToken = default) =>
        InChainAsync(async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET disabled = @disabled, disabled_reason = @reason WHERE username = @username",
                new { username, disabled = disabled ? 1 : 0, reason = disabled ? reason : null }, transaction, cancellationToken: cancellationToken));
            if (changed > 0)
            {
                await AppendInTransactionAsync(connection, transaction, audit, cancellationToken);
            }
            return changed;
        }, cancellationToken);

    public Task<AuditEvent> AppendAuditAsync(AuditDraft audit, CancellationToken cancellationToken = default) =>
        InChainAsync((connection, transaction) => AppendInTransactionAsync(connection, transaction, audit, cancellationToken), cancellationToken);

    public Task CreateOneTimeTokenAsync(OneTimeTokenRecord token, AuditDraft audit, CancellationToken cancellationToken = default) =>
        InChainAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO one_time_tokens (token_hash, kind, username, principals, created_at, expires_at) " +
                "VALUES (@TokenHash, @Kind, @Username, @Principals, @CreatedAt, @ExpiresAt)", token, transaction, cancellationToken: cancellationToken));
            return await AppendInTransactionAsync(connection, transaction, audit, cancellationToken);
        }, cancellationToken);

    public Task<OneTimeTokenRecord?> ConsumeOneTimeTokenAsync(string tokenHash, string kind, long nowMs, CancellationToken cancellationToken = default) =>
        RunAsync(async connection =>
            // A single conditional UPDATE: two concurrent uses of one token cannot both succeed.
            await connection.QuerySingleOrDefaultAsync<OneTimeTokenRecord>(new CommandDefinition(
                "UPDATE one_time_tokens SET used_at = @now WHERE token_hash = @tokenHash AND kind = @kind AND used_at IS NULL AND expires_at > @now " +
                "RETURNING token_hash AS TokenHash, kind, username, principals, created_at AS CreatedAt, expires_at AS ExpiresAt, used_at AS UsedAt",
                new { tokenHash, kind, now = nowMs }, cancellationToken: cancellationToken)),
            cancellationToken);

    public Task<OneTimeTokenRecord?> PeekOneTimeTokenAsync(string tokenHash, string kind, long nowMs, CancellationToken cancellationToken = default) =>
        RunAsync(async connection =>
            await connection.QuerySingleOrDefaultAsync<OneTimeTokenRecord>(new CommandDefinition(
                "SELECT token_hash AS TokenHash, kind, username, principals, created_at AS CreatedAt, expires_at AS ExpiresAt, used_at AS UsedAt " +
                "FROM one_time_tokens WHERE token_hash = @tokenHash AND kind = @kind AND used_at IS NULL AND expires_at > @now",
                new { tokenHash, kind, now = nowMs }, cancellationToken: cancellationToken)),
            cancellationToken);

    public Task<Page<CertificateRecord>> ListCertificatesAsync(CertificateQuery query, CancellationToken cancellationToken = default) =>
        RunAsync(async connection =>
        {
            var (where, parameters) = CertificateFilter(query);
            var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM certificates{where}", parameters, cancellationToken: cancellationToken));
            parameters.Add("limit", Math.Clamp(query.Limit, 1, 500));
            parameters.Add("offset", Math.Max(0, query.Offset));
            var items = await connection.QueryAsync<CertificateRecord>(new CommandDefinition(
                $"SELECT {CertificateColumns} FROM certificates{where} ORDER BY issued_at DESC, serial LIMIT @limit OFFSET @offset",
                parameters, cancellationToken: cancellationToken));
            return new Page<CertificateRecord>(items.AsList(), total, Math.Clamp(query.Limit, 1, 500), Math.Max(0, query.Offset));
        }, cancellationToken);

    public Task<IReadOnlyList<CertificateRecord>> RevokeCertificatesAsync(string? serial, string? username, string actor, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default) =>
        InChainAsync<IReadOnlyList<CertificateRecord>>(async (connection, transaction) =>
        {
            var nowSeconds = nowMs / 1000;
            var revoked = (await connection.QueryAsync<CertificateRecord>(new CommandDefinition(
                "UPDATE certificates SET revoked_at = @now, revoked_by = @actor WHERE revoked_at IS NULL AND valid_before > @nowSeconds " +
                "AND (@serial IS NULL OR serial = @serial) AND (@username IS NULL OR username = @username) " +
                $"RETURNING {CertificateColumns}",
                new { now = nowMs, nowSeconds, actor, serial, username }, transaction, cancellationToken: cancellationToken))).AsList();
            if (revoked.Count > 0)
            {
                await BumpKrlVersionAsync(connection, transaction, nowMs, cancellationToken);
                var details = new Dictionary<string, object?>(audit.Details)
                {
                    ["serials"] = revoked.Select(c => c.Serial).ToArray(),
                };
                await AppendInTransactionAsync(connection, transaction, audit with { Details = details }, cancellationToken);
            }
            return revoked;
        }, cancellationToken);

    public Task<PolicyVersion?> LatestPolicyAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async connection => await connection.QuerySingleOrDefaultAsync<PolicyVersion>(new CommandDefinition(
            "SELECT version, document, created_at AS CreatedAt, created_by AS CreatedBy FROM policies ORDER BY version DESC LIMIT 1",
            cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<PolicyVersion>> PolicyHistoryAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<PolicyVersion>>(async connection => (await connection.QueryAsync<PolicyVersion>(new CommandDefinition(
            "SELECT version, document, created_at AS CreatedAt, created_by AS CreatedBy FROM policies ORDER BY version DESC",
            cancellationToken: cancellationToken))).AsList(), cancellationToken);

    public Task<PolicyVersion> SavePolicyAsync(string document, string actor, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default) =>
        InChainAsync(async (connection, transaction) =>
        {
            var version = 1 + await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COALESCE(MAX(version), 0) FROM policies", transaction: transaction, cancellationToken: cancellationToken));
            var saved = new PolicyVersion(version, document, nowMs, actor);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO policies (version, document, created_at, created_by) VALUES (@Version, @Document, @CreatedAt, @CreatedBy)",
                saved, transaction, cancellationToken: cancellationToken));
            var details = new Dictionary<string, object?>(audit.Details) { ["policy_version"] = version };
            await AppendInTransactionAsync(connection, transaction, audit with { Details = details }, cancellationToken);
            return saved;
        }, cancellationToken);

    public async IAsyncEnumerable<AuditEvent> ReadAuditAsync(long fromSeq = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const int batch = 1000;
        var next = fromSeq;
        while (true)
        {
            var rows = await RunAsync(async connection => (await connection.QueryAsync<AuditEvent>(new CommandDefinition(
                "SELECT seq, occurred_at AS OccurredAt, kind, outcome, actor, subject, details, prev_hash AS PrevHash, hash " +
                "FROM audit_events WHERE seq >= @next ORDER BY seq LIMIT @batch", new { next, batch }, cancellationToken: cancellationToken))).AsList(),
                cancellationToken);
            foreach (var row in rows)
            {
                yield return row;
            }
            if (rows.Count < batch)
            {
                yield break;
            }
            next = rows[^1].Seq + 1;
        }
    }

    private static (string Where, DynamicParameters Parameters) CertificateFilter(CertificateQuery query)
    {
        var clauses = new List<string>();
        var parameters = new DynamicParameters();
        if (query.Username is { } username)
        {
            clauses.Add("username = @username");
            parameters.Add("username", username);
        }
        if (query.Serial is { } serial)
        {
            clauses.Add("serial = @serial");
            parameters.Add("serial", serial);
        }
        if (query.KeyId is { } keyId)
        {
            clauses.Add("key_id = @keyId");
            parameters.Add("keyId", keyId);
        }
        if (query.Principal is { } principal)
        {
            // Principals are stored as a JSON array of strings; match one element exactly.
            clauses.Add("principals LIKE @principal");
            parameters.Add("principal", "%\"" + principal.Replace("\"", "", StringComparison.Ordinal) + "\"%");
        }
        if (query.LiveOnly == true)
        {
            clauses.Add("revoked_at IS NULL AND valid_before > @now");
            parameters.Add("now", query.Now ?? 0);
        }
        return (clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses), parameters);
    }
}
