using Beacon.Server.Audit;
using Dapper;

namespace Beacon.Server.Storage;

// Host enrollment tokens, hosts, their certificates and renewal challenges.
public sealed partial class SqlBeaconStore : IHostStore
{
    private const string HostColumns =
        "id, host_names AS HostNames, host_groups AS HostGroups, enrolled_at AS EnrolledAt, renewed_at AS RenewedAt, valid_before AS ValidBefore, token_id AS TokenId";

    private const string HostTokenColumns =
        "token_hmac AS TokenHmac, host_groups AS HostGroups, created_at AS CreatedAt, expires_at AS ExpiresAt, created_by AS CreatedBy, used_at AS UsedAt";

    private const string ChallengeColumns =
        "challenge_hash AS ChallengeHash, serial, created_at AS CreatedAt, expires_at AS ExpiresAt, used_at AS UsedAt";

    /// <summary>How long a spent or expired challenge is kept, so a late replay is told "used" rather than "unknown".</summary>
    private const long ChallengeRetentionMs = 60 * 60 * 1000;

    public Task CreateHostTokenAsync(HostTokenRecord token, AuditDraft audit, CancellationToken cancellationToken = default) =>
        InChainAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO host_tokens (token_hmac, host_groups, created_at, expires_at, created_by) " +
                "VALUES (@TokenHmac, @HostGroups, @CreatedAt, @ExpiresAt, @CreatedBy)", token, transaction, cancellationToken: cancellationToken));
            return await AppendInTransactionAsync(connection, transaction, audit, cancellationToken);
        }, cancellationToken);

    public Task<(HostTokenRecord? Token, OneTimeUseFailure Failure)> ConsumeHostTokenAsync(string tokenHmac, long nowMs, CancellationToken cancellationToken = default) =>
        RunAsync(async connection =>
        {
            // A single conditional UPDATE: two concurrent uses of one token cannot both succeed.
            var consumed = await connection.QuerySingleOrDefaultAsync<HostTokenRecord>(new CommandDefinition(
                "UPDATE host_tokens SET used_at = @now WHERE token_hmac = @tokenHmac AND used_at IS NULL AND expires_at > @now " +
                $"RETURNING {HostTokenColumns}", new { tokenHmac, now = nowMs }, cancellationToken: cancellationToken));
            if (consumed is not null)
            {
                return (consumed, OneTimeUseFailure.Unknown);
            }
            var existing = await connection.QuerySingleOrDefaultAsync<HostTokenRecord>(new CommandDefinition(
                $"SELECT {HostTokenColumns} FROM host_tokens WHERE token_hmac = @tokenHmac", new { tokenHmac }, cancellationToken: cancellationToken));
            return ((HostTokenRecord?)null, Classify(existing?.UsedAt, existing is not null));
        }, cancellationToken);

    public Task<AuditEvent> RecordHostIssuanceAsync(HostRecord host, IReadOnlyList<CertificateRecord> certificates, AuditDraft audit, CancellationToken cancellationToken = default) =>
        RecordHostAsync(host, certificates, audit, cancellationToken);

    private async Task<AuditEvent> RecordHostAsync(HostRecord host, IReadOnlyList<CertificateRecord> certificates, AuditDraft audit, CancellationToken cancellationToken)
    {
        try
        {
            return await InChainAsync(async (connection, transaction) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO hosts (id, host_names, host_groups, enrolled_at, renewed_at, valid_before, token_id) " +
                    "VALUES (@Id, @HostNames, @HostGroups, @EnrolledAt, @RenewedAt, @ValidBefore, @TokenId) " +
                    "ON CONFLICT (id) DO UPDATE SET renewed_at = excluded.renewed_at, valid_before = excluded.valid_before",
                    host, transaction, cancellationToken: cancellationToken));
                foreach (var certificate in certificates)
                {
                    await connection.ExecuteAsync(new CommandDefinition(InsertCertificate, certificate, transaction, cancellationToken: cancellationToken));
                }
                return await AppendInTransactionAsync(connection, transaction, audit, cancellationToken);
            }, cancellationToken);
        }
        catch (Exception e) when (IsUniqueViolation(e))
        {
            throw new DuplicateSerialException(string.Join(",", certificates.Select(c => c.Serial)));
        }
    }

    public Task<HostRecord?> FindHostAsync(string id, CancellationToken cancellationToken = default) =>
        RunAsync(async connection => await connection.QuerySingleOrDefaultAsync<HostRecord>(new CommandDefinition(
            $"SELECT {HostColumns} FROM hosts WHERE id = @id", new { id }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<Page<HostRecord>> ListHostsAsync(int limit, int offset, CancellationToken cancellationToken = default) =>
        RunAsync(async connection =>
        {
            var boundedLimit = Math.Clamp(limit, 1, 500);
            var boundedOffset = Math.Max(0, offset);
            var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM hosts", cancellationToken: cancellationToken));
            var items = await connection.QueryAsync<HostRecord>(new CommandDefinition(
                $"SELECT {HostColumns} FROM hosts ORDER BY enrolled_at DESC, id LIMIT @limit OFFSET @offset",
                new { limit = boundedLimit, offset = boundedOffset }, cancellationToken: cancellationToken));
            return new Page<HostRecord>(items.AsList(), total, boundedLimit, boundedOffset);
        }, cancellationToken);

    // FindCertificateAsync (IHostStore) is shared with IAdminStore: SqlBeaconStore.Admin.cs.

    public Task<bool> IsKeyRevokedAsync(string fingerprint, CancellationToken cancellationToken = default) =>
        RunAsync(async connection => await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM revoked_keys WHERE fingerprint = @fingerprint", new { fingerprint }, cancellationToken: cancellationToken)) > 0, cancellationToken);

    public Task CreateRenewalChallengeAsync(HostChallengeRecord challenge, CancellationToken cancellationToken = default) =>
        RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM host_renewal_challenges WHERE expires_at < @cutoff",
                new { cutoff = challenge.CreatedAt - ChallengeRetentionMs }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO host_renewal_challenges (challenge_hash, serial, created_at, expires_at) VALUES (@ChallengeHash, @Serial, @CreatedAt, @ExpiresAt)",
                challenge, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }, cancellationToken);

    public Task<(HostChallengeRecord? Challenge, OneTimeUseFailure Failure)> ConsumeRenewalChallengeAsync(string challengeHash, long nowMs, CancellationToken cancellationToken = default) =>
        RunAsync(async connection =>
        {
            // One conditional UPDATE: a challenge answers one renewal, however many race for it.
            var consumed = await connection.QuerySingleOrDefaultAsync<HostChallengeRecord>(new CommandDefinition(
                "UPDATE host_renewal_challenges SET used_at = @now WHERE challenge_hash = @challengeHash AND used_at IS NULL AND expires_at > @now " +
                $"RETURNING {ChallengeColumns}", new { challengeHash, now = nowMs }, cancellationToken: cancellationToken));
            if (consumed is not null)
            {
                return (consumed, OneTimeUseFailure.Unknown);
            }
            var existing = await connection.QuerySingleOrDefaultAsync<HostChallengeRecord>(new CommandDefinition(
                $"SELECT {ChallengeColumns} FROM host_renewal_challenges WHERE challenge_hash = @challengeHash", new { challengeHash },
                cancellationToken: cancellationToken));
            return ((HostChallengeRecord?)null, Classify(existing?.UsedAt, existing is not null));
        }, cancellationToken);

    private static OneTimeUseFailure Classify(long? usedAt, bool exists) =>
        !exists ? OneTimeUseFailure.Unknown : usedAt is not null ? OneTimeUseFailure.Used : OneTimeUseFailure.Expired;
}
