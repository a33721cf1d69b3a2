using Beacon.Server.Audit;
using Beacon.Server.Keys;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Server.Trust;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Beacon.Trust.Bundle;

namespace Beacon.Server.Tests.Trust;

/// <summary>
/// Two publishers on one database (two replicas), each with trust material of its own, publishing at
/// once: every version is stored exactly once, the numbers are consecutive, and each document carries
/// its own version. On SQLite and PostgreSQL.
/// </summary>
public abstract class BundlePublisherRaceTests(DatabaseEngine engine)
{
    private const int Rounds = 10;

    [DatabaseFact]
    public async Task TwoPublishersRacingMakeDistinctConsecutiveVersions()
    {
        using var directory = new TempDirectory();
        var target = await engine.NewDatabaseAsync();
        using var storeA = target.CreateStore(directory);
        using var storeB = target.CreateStore(directory);
        await storeA.MigrateAsync();
        await storeB.MigrateAsync();
        await ImportCaKeysAsync(storeA);
        var revocation = Ed25519PrivateKey.Generate().PublicKey;
        var publisherA = Publisher(storeA, revocation, "alpha");
        var publisherB = Publisher(storeB, revocation, "bravo");

        // Each publisher's material differs from the other's, so every call after the other's makes a version.
        async Task<int> RunAsync(TrustBundlePublisher publisher)
        {
            var made = 0;
            for (var i = 0; i < Rounds; i++)
            {
                made += await publisher.PublishIfChangedAsync("test", "race", CancellationToken.None) is null ? 0 : 1;
            }
            return made;
        }
        var counts = await Task.WhenAll(Task.Run(() => RunAsync(publisherA)), Task.Run(() => RunAsync(publisherB)));

        var latest = (await storeA.LatestTrustBundleAsync())!;
        Assert.Equal(counts.Sum(), latest.Version);
        for (var version = 1L; version <= latest.Version; version++)
        {
            var stored = (await storeA.TrustBundleAsync(version))!;
            Assert.Equal(version, TrustBundleDocument.Parse(stored.Document).Version);
        }
        var events = await storeA.ReadAuditAsync().ToListAsync();
        Assert.Equal(latest.Version, events.Count(e => e.Kind == TrustBundlePublisher.DraftKind));
    }

    private static TrustBundlePublisher Publisher(SqlBeaconStore store, SshPublicKey revocation, string account) =>
        new(store, store, new TrustOptions
        {
            Signing = TrustOptions.OfflineSigning,
            HostGroupAccounts = new() { ["prod"] = [account] },
        }, revocation, null, TimeProvider.System);

    private static async Task ImportCaKeysAsync(SqlBeaconStore store)
    {
        byte[] password = [1, 2, 3, 4];
        var keys = new[] { "user", "host" }.Select(kind =>
        {
            using var key = Ed25519PrivateKey.Generate();
            return new NewCaKey(kind, key.PublicKey.ToOpenSshString(), key.PublicKey.Fingerprint,
                EncryptedKeyFile.Encrypt(key, password, "", EncryptedKeyFile.MinIterations));
        }).ToList();
        await store.ImportActiveCaKeysAsync(keys, 0, record => new AuditDraft("ca.import", AuditOutcome.Success, "test", record.Fingerprint, new Dictionary<string, object?>()));
    }
}

public sealed class BundlePublisherRaceOnSqlite(SqliteEngine engine) : BundlePublisherRaceTests(engine), IClassFixture<SqliteEngine>;

[RequiresPostgres]
public sealed class BundlePublisherRaceOnPostgres(PostgresEngine engine) : BundlePublisherRaceTests(engine), IClassFixture<PostgresEngine>;
