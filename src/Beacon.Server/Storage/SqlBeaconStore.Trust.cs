using System.Data.Common;
using Beacon.Server.Audit;
using Dapper;

namespace Beacon.Server.Storage;

// CA keys under lifecycle management and trust bundle versions (migration 0003).
public sealed partial class SqlBeaconStore : ITrustStore
{
    private const string CaKeyColumns =
        "id, kind, state, public_key AS PublicKey, fingerprint, created_at AS CreatedAt, activated_at AS ActivatedAt, retired_at AS RetiredAt";

    private const string BundleColumns =
        "version, document, signature, created_at AS CreatedAt, published_at AS PublishedAt, published_by AS PublishedBy";

    public Task<IReadOnlyList<CaKeyRecord>> ListCaKeysAsync(CancellationToken cancellationToken = default) =>
        RunAsync(connection => ListCaKeysAsync(connection, null, cancellationToken), cancellationToken);

    public Task<byte[]?> ReadEncryptedCaKeyAsync(long id, CancellationToken cancellationToken = default) =>
        RunAsync(async connection => await connection.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition(
            "SELECT encrypted_private_key FROM ca_keys WHERE id = @id", new { id }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<CaKeyRecord>> ImportActiveCaKeysAsync(IReadOnlyList<NewCaKey> keys, long nowMs, Func<CaKeyRecord, AuditDraft> audit,
        CancellationToken cancellationToken = default) =>
        InChainAsync<IReadOnlyList<CaKeyRecord>>(async (connection, transaction) =>
        {
            var existing = await ListCaKeysAsync(connection, transaction, cancellationToken);
            var imported = new List<CaKeyRecord>();
            foreach (var key in keys.Where(k => !existing.Any(e => e.Kind == k.Kind)))
            {
                var record = await InsertCaKeyAsync(connection, transaction, key, CaKeyState.Active, nowMs, cancellationToken);
                await AppendInTransactionAsync(connection, transaction, audit(record), cancellationToken);
                imported.Add(record);
            }
            return imported;
        }, cancellationToken);

    public Task<CaKeyRecord?> AddNextCaKeyAsync(NewCaKey key, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default) =>
        InChainAsync(async (connection, transaction) =>
        {
            var existing = await ListCaKeysAsync(connection, transaction, cancellationToken);
            if (existing.Any(e => e.Kind == key.Kind && e.State == CaKeyState.Next))
            {
                return null;
            }
            var record = await InsertCaKeyAsync(connection, transaction, key, CaKeyState.Next, nowMs, cancellationToken);
            await AppendInTransactionAsync(connection, transaction, WithKey(audit, record), cancellationToken);
            return record;
        }, cancellationToken);

    public Task<CaActivation> ActivateNextCaKeyAsync(string kind, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default) =>
        InChainAsync(async (connection, transaction) =>
        {
            var keys = (await ListCaKeysAsync(connection, transaction, cancellationToken)).Where(k => k.Kind == kind).ToList();
            var next = keys.SingleOrDefault(k => k.State == CaKeyState.Next);
            var active = keys.SingleOrDefault(k => k.State == CaKeyState.Active);
            var previous = keys.SingleOrDefault(k => k.State == CaKeyState.Previous);
            if (next is null || previous is not null)
            {
                return new CaActivation(null, null, previous);
            }
            // Demote first: the unique (kind, state) index allows one active key at every step.
            if (active is not null)
            {
                await SetCaKeyStateAsync(connection, transaction, active.Id, CaKeyState.Previous, cancellationToken);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE ca_keys SET state = 'active', activated_at = @now WHERE id = @id",
                new { id = next.Id, now = nowMs }, transaction, cancellationToken: cancellationToken));
            var details = new Dictionary<string, object?>(audit.Details)
            {
                ["fingerprint"] = next.Fingerprint,
                ["previous_fingerprint"] = active?.Fingerprint,
            };
            await AppendInTransactionAsync(connection, transaction, audit with { Details = details }, cancellationToken);
            return new CaActivation(next with { State = CaKeyState.Active, ActivatedAt = nowMs }, active is null ? null : active with { State = CaKeyState.Previous }, null);
        }, cancellationToken);

    public Task<bool> RetireCaKeyAsync(long id, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default) =>
        InChainAsync(async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE ca_keys SET state = 'retired', retired_at = @now WHERE id = @id AND state = 'previous'",
                new { id, now = nowMs }, transaction, cancellationToken: cancellationToken));
            if (changed == 0)
            {
                return false;
            }
            await AppendInTransactionAsync(connection, transaction, audit, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<long?> LastLiveCertificateOfCaAsync(string caFingerprint, long nowSeconds, CancellationToken cancellationToken = default) =>
        RunAsync(async connection => await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(valid_before) FROM certificates WHERE ca_fingerprint = @caFingerprint AND valid_before > @nowSeconds AND revoked_at IS NULL",
            new { caFingerprint, nowSeconds }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<bool> AnyHostCertificateAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async connection => await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM (SELECT 1 FROM certificates WHERE cert_type = 'host' LIMIT 1) AS any_host", cancellationToken: cancellationToken)) > 0,
            cancellationToken);

    public Task<TrustBundleRecord?> LatestTrustBundleAsync(CancellationToken cancellationToken = default) =>
        RunAsync(connection => LatestTrustBundleAsync(connection, null, cancellationToken), cancellationToken);

    public Task<long> LatestPublishedTrustBundleVersionAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async connection => await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(version) FROM trust_bundles WHERE signature IS NOT NULL", cancellationToken: cancellationToken)) ?? 0, cancellationToken);

    public Task<TrustBundleRecord?> TrustBundleAsync(long version, CancellationToken cancellationToken = default) =>
        RunAsync(async connection => await connection.QuerySingleOrDefaultAsync<TrustBundleRecord>(new CommandDefinition(
            $"SELECT {BundleColumns} FROM trust_bundles WHERE version = @version", new { version }, cancellationToken: cancellationToken)), cancellationToken);

    public async Task<bool> TryAppendTrustBundleAsync(long expectedLatest, TrustBundleRecord bundle, AuditDraft audit, CancellationToken cancellationToken = default)
    {
        try
        {
            return await InChainAsync(async (connection, transaction) =>
            {
                var latest = await LatestTrustBundleAsync(connection, transaction, cancellationToken);
                if ((latest?.Version ?? 0) != expectedLatest || bundle.Version != expectedLatest + 1)
                {
                    return false;
                }
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO trust_bundles (version, document, signature, created_at, published_at, published_by) " +
                    "VALUES (@Version, @Document, @Signature, @CreatedAt, @PublishedAt, @PublishedBy)", bundle, transaction, cancellationToken: cancellationToken));
                var details = new Dictionary<string, object?>(audit.Details) { ["version"] = bundle.Version };
                await AppendInTransactionAsync(connection, transaction, audit with { Details = details }, cancellationToken);
                return true;
            }, cancellationToken);
        }
        catch (Exception e) when (dialect.IsUniqueViolation(e))
        {
            // Another replica stored this version between our read and our insert.
            return false;
        }
    }

    public Task<bool> PublishTrustBundleAsync(long version, string signature, string publishedBy, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default) =>
        InChainAsync(async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE trust_bundles SET signature = @signature, published_at = @now, published_by = @publishedBy WHERE version = @version AND signature IS NULL",
                new { version, signature, now = nowMs, publishedBy }, transaction, cancellationToken: cancellationToken));
            if (changed == 0)
            {
                return false;
            }
            var details = new Dictionary<string, object?>(audit.Details) { ["version"] = version };
            await AppendInTransactionAsync(connection, transaction, audit with { Details = details }, cancellationToken);
            return true;
        }, cancellationToken);

    private static async Task<IReadOnlyList<CaKeyRecord>> ListCaKeysAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<CaKeyRecord>(new CommandDefinition(
            $"SELECT {CaKeyColumns} FROM ca_keys ORDER BY id", transaction: transaction, cancellationToken: cancellationToken))).AsList();

    private static async Task<TrustBundleRecord?> LatestTrustBundleAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<TrustBundleRecord>(new CommandDefinition(
            $"SELECT {BundleColumns} FROM trust_bundles ORDER BY version DESC LIMIT 1", transaction: transaction, cancellationToken: cancellationToken));

    private static async Task<CaKeyRecord> InsertCaKeyAsync(DbConnection connection, DbTransaction transaction, NewCaKey key, string state, long nowMs,
        CancellationToken cancellationToken) =>
        await connection.QuerySingleAsync<CaKeyRecord>(new CommandDefinition(
            "INSERT INTO ca_keys (kind, public_key, fingerprint, encrypted_private_key, state, created_at, activated_at) " +
            "VALUES (@Kind, @PublicKey, @Fingerprint, @EncryptedPrivateKey, @state, @now, @activatedAt) " +
            $"RETURNING {CaKeyColumns}",
            new { key.Kind, key.PublicKey, key.Fingerprint, key.EncryptedPrivateKey, state, now = nowMs, activatedAt = state == CaKeyState.Active ? nowMs : (long?)null },
            transaction, cancellationToken: cancellationToken));

    private static Task SetCaKeyStateAsync(DbConnection connection, DbTransaction transaction, long id, string state, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("UPDATE ca_keys SET state = @state WHERE id = @id", new { id, state }, transaction, cancellationToken: cancellationToken));

    private static AuditDraft WithKey(AuditDraft audit, CaKeyRecord key) =>
        audit with { Details = new Dictionary<string, object?>(audit.Details) { ["fingerprint"] = key.Fingerprint, ["key_id"] = key.Id } };
}
