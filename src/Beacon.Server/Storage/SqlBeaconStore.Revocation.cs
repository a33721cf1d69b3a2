using System.Data.Common;
using Beacon.Server.Audit;
using Dapper;

namespace Beacon.Server.Storage;

// Revoked keys and the KRL version: every revocation raises krl_state.version in its own transaction.
public sealed partial class SqlBeaconStore
{
    /// <summary>Sanity bound: how many times a snapshot read is retried while revocations keep landing.</summary>
    private const int SnapshotAttempts = 5;

    public Task<KeyRevocationOutcome> RevokePublicKeyAsync(RevokedKeyRecord key, AuditDraft audit, CancellationToken cancellationToken = default) =>
        InChainAsync(async (connection, transaction) =>
        {
            var inserted = await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO revoked_keys (fingerprint, public_key, revoked_at, revoked_by, reason) VALUES (@Fingerprint, @PublicKey, @RevokedAt, @RevokedBy, @Reason) " +
                "ON CONFLICT (fingerprint) DO NOTHING", key, transaction, cancellationToken: cancellationToken));
            var certificates = (await connection.QueryAsync<CertificateRecord>(new CommandDefinition(
                "UPDATE certificates SET revoked_at = @now, revoked_by = @actor WHERE revoked_at IS NULL AND valid_before > @nowSeconds " +
                $"AND public_key_fingerprint = @fingerprint RETURNING {CertificateColumns}",
                new { now = key.RevokedAt, nowSeconds = key.RevokedAt / 1000, actor = key.RevokedBy, fingerprint = key.Fingerprint },
                transaction, cancellationToken: cancellationToken))).AsList();
            if (inserted > 0 || certificates.Count > 0)
            {
                await BumpKrlVersionAsync(connection, transaction, key.RevokedAt, cancellationToken);
                var details = new Dictionary<string, object?>(audit.Details)
                {
                    ["fingerprint"] = key.Fingerprint,
                    ["serials"] = certificates.Select(c => c.Serial).ToArray(),
                };
                await AppendInTransactionAsync(connection, transaction, audit with { Details = details }, cancellationToken);
            }
            return new KeyRevocationOutcome(inserted > 0, certificates);
        }, cancellationToken);

    public Task<long> KrlVersionAsync(CancellationToken cancellationToken = default) =>
        RunAsync(connection => ReadKrlVersionAsync(connection, cancellationToken), cancellationToken);

    public Task<RevocationSnapshot> ReadRevocationsAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async connection =>
        {
            for (var attempt = 0; ; attempt++)
            {
                var before = await connection.QuerySingleAsync<(long Version, long UpdatedAt)>(new CommandDefinition(
                    "SELECT version, updated_at FROM krl_state WHERE id = 1", cancellationToken: cancellationToken));
                var serials = (await connection.QueryAsync<RevokedSerial>(new CommandDefinition(
                    "SELECT serial, ca_fingerprint AS CaFingerprint FROM certificates WHERE revoked_at IS NOT NULL ORDER BY ca_fingerprint",
                    cancellationToken: cancellationToken))).AsList();
                var keys = (await connection.QueryAsync<RevokedKeyRecord>(new CommandDefinition(
                    "SELECT fingerprint, public_key AS PublicKey, revoked_at AS RevokedAt, revoked_by AS RevokedBy, reason FROM revoked_keys ORDER BY fingerprint",
                    cancellationToken: cancellationToken))).AsList();
                // Every revocation raises the version in its own transaction: the same version before and
                // after means the rows read in between are exactly that version's, on any isolation level.
                if (await ReadKrlVersionAsync(connection, cancellationToken) == before.Version || attempt + 1 == SnapshotAttempts)
                {
                    return new RevocationSnapshot(before.Version, before.UpdatedAt, serials, keys);
                }
            }
        }, cancellationToken);

    public Task<string?> AnyCertificateOfCaAsync(string caFingerprint, CancellationToken cancellationToken = default) =>
        RunAsync(async connection => await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT certificate FROM certificates WHERE ca_fingerprint = @caFingerprint LIMIT 1", new { caFingerprint }, cancellationToken: cancellationToken)),
            cancellationToken);

    private static Task<long> ReadKrlVersionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<long>(new CommandDefinition("SELECT version FROM krl_state WHERE id = 1", cancellationToken: cancellationToken));

    private static Task BumpKrlVersionAsync(DbConnection connection, DbTransaction transaction, long nowMs, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE krl_state SET version = version + 1, updated_at = @nowSeconds WHERE id = 1",
            new { nowSeconds = nowMs / 1000 }, transaction, cancellationToken: cancellationToken));
}
