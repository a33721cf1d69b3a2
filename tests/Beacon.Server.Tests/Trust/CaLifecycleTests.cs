using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Ca;
using Beacon.Server.CaLifecycle;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Server.Tests.Revocation;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Beacon.Trust.Bundle;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Server.Tests.Trust;

/// <summary>
/// CA rotation through the admin API (rotate, activate, retire), the live key ring, refusals and their
/// messages, admin-only access, audit events, and the bundle versions each step makes; on SQLite and
/// PostgreSQL by the classes at the end. Bundles here are offline drafts, so no signing key is involved.
/// </summary>
public abstract class CaLifecycleTests(DatabaseEngine engine)
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private async Task<BeaconServerFactory> StartAsync()
    {
        var server = TrustServer.Create(await engine.NewDatabaseAsync(), _clock, TrustServer.OfflineDrafts);
        _ = server.Server;
        return server;
    }

    [DatabaseFact]
    public async Task ARotationMovesKeysThroughTheirStatesAndTheServerSignsWithTheActiveKey()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var original = server.Ring().UserCa.PublicKey;
        var keys = (await (await client.GetAsAsync("/v1/admin/ca/keys", StaffDirectoryDouble.AdminToken)).OkJsonAsync()).GetProperty("keys");
        Assert.Equal(["user active", "host active"], keys.EnumerateArray().Select(k => $"{k.GetProperty("kind").GetString()} {k.GetProperty("state").GetString()}"));

        var rotated = await (await client.CaStepAsync("user", "rotate")).OkJsonAsync();
        var next = SshPublicKeyParser.ParseLine(rotated.GetProperty("key").GetProperty("public_key").GetString()!);
        Assert.Equal("next", rotated.GetProperty("key").GetProperty("state").GetString());
        Assert.Equal(original, server.Ring().UserCa.PublicKey);
        Assert.Equal([original, next], server.Ring().Trusted(CaKind.User));
        using var key = Ed25519PrivateKey.Generate();
        Assert.Equal(original, (await server.IssueAsync("carol", key)).SignatureKey);

        var activated = await (await client.CaStepAsync("user", "activate")).OkJsonAsync();
        Assert.Contains("signs from now on", activated.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(next, server.Ring().UserCa.PublicKey);
        Assert.Equal([original, next], server.Ring().Trusted(CaKind.User));
        Assert.Equal(next, (await server.IssueAsync("carol", key)).SignatureKey);

        var early = await (await client.CaStepAsync("user", "retire", new { force = false })).ProblemAsync(409);
        Assert.Contains("may be retired from", early, StringComparison.Ordinal);
        Assert.Contains("a certificate lives up to 1h", early, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var retired = await (await client.CaStepAsync("user", "retire", new { force = false })).OkJsonAsync();
        Assert.Equal("retired", retired.GetProperty("key").GetProperty("state").GetString());
        Assert.Equal([next], server.Ring().Trusted(CaKind.User));
        Assert.Equal(next, server.Ring().UserCa.PublicKey);
        Assert.Contains(original, server.Ring().PublicKeys);

        var events = await server.Services.GetRequiredService<IBeaconStore>().ReadAuditAsync().ToListAsync();
        Assert.Equal(2, events.Count(e => e.Kind == "ca.import"));
        Assert.Single(events, e => e.Kind == CaLifecycleService.RotateKind && e.Outcome == AuditOutcome.Success && e.Actor == "staff:alice-id");
        Assert.Single(events, e => e.Kind == CaLifecycleService.ActivateKind && e.Outcome == AuditOutcome.Success);
        Assert.Single(events, e => e.Kind == CaLifecycleService.RetireKind && e.Outcome == AuditOutcome.Refused);
        var retire = Assert.Single(events, e => e.Kind == CaLifecycleService.RetireKind && e.Outcome == AuditOutcome.Success);
        Assert.Equal(JsonValueKind.False, JsonDocument.Parse(retire.Details).RootElement.GetProperty("forced").ValueKind);
    }

    [DatabaseFact]
    public async Task StepsThatTheStateDoesNotAllowAreRefusedSayingWhy()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        Assert.Contains("no next key to activate: rotate first", await (await client.CaStepAsync("host", "activate")).ProblemAsync(409), StringComparison.Ordinal);
        Assert.Contains("no previous key to retire", await (await client.CaStepAsync("host", "retire")).ProblemAsync(409), StringComparison.Ordinal);
        await (await client.CaStepAsync("host", "rotate")).OkJsonAsync();
        Assert.Contains("has a next key already", await (await client.CaStepAsync("host", "rotate")).ProblemAsync(409), StringComparison.Ordinal);
        await (await client.CaStepAsync("host", "activate")).OkJsonAsync();
        await (await client.CaStepAsync("host", "rotate", new { type = "ecdsa", bits = 256 })).OkJsonAsync();
        var blocked = await (await client.CaStepAsync("host", "activate")).ProblemAsync(409);
        Assert.Contains("is not retired yet: retire it first (allowed from", blocked, StringComparison.Ordinal);

        var forced = await (await client.CaStepAsync("host", "retire", new { force = true })).OkJsonAsync();
        Assert.Contains("forced", forced.GetProperty("message").GetString(), StringComparison.Ordinal);
        var activated = await (await client.CaStepAsync("host", "activate")).OkJsonAsync();
        Assert.StartsWith("ecdsa-sha2-nistp256 ", activated.GetProperty("key").GetProperty("public_key").GetString(), StringComparison.Ordinal);
        Assert.Equal("ecdsa-sha2-nistp256", server.Ring().HostCa.PublicKey.KeyType);

        Assert.Contains("user or host", await (await client.CaStepAsync("both", "rotate")).ProblemAsync(404), StringComparison.Ordinal);
        Assert.Contains("rotate, activate and retire", await (await client.CaStepAsync("user", "destroy")).ProblemAsync(404), StringComparison.Ordinal);
        Assert.Contains("bits: rsa CA keys are 3072 to 8192 bits", await (await client.CaStepAsync("user", "rotate", new { type = "rsa", bits = 1024 })).ProblemAsync(400), StringComparison.Ordinal);

        var events = await server.Services.GetRequiredService<IBeaconStore>().ReadAuditAsync().ToListAsync();
        var forcedEvent = Assert.Single(events, e => e.Kind == CaLifecycleService.RetireKind && e.Outcome == AuditOutcome.Success);
        Assert.True(JsonDocument.Parse(forcedEvent.Details).RootElement.GetProperty("forced").GetBoolean());
        Assert.Equal(4, events.Count(e => e.Kind.StartsWith("ca.", StringComparison.Ordinal) && e.Outcome == AuditOutcome.Refused));
    }

    [DatabaseFact]
    public async Task OnlyAdminsMayListOrChangeTheCaKeys()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await (await client.GetAsAsync("/v1/admin/ca/keys", StaffDirectoryDouble.StaffToken)).ProblemAsync(403);
        foreach (var step in new[] { "rotate", "activate", "retire" })
        {
            Assert.Contains("not an admin", await (await client.CaStepAsync("user", step, bearer: StaffDirectoryDouble.StaffToken)).ProblemAsync(403), StringComparison.Ordinal);
            await (await client.CaStepAsync("user", step, bearer: null)).ProblemAsync(401);
        }
        var token = await server.MintTokenAsync("mallory", "root");
        await (await client.CaStepAsync("user", "rotate", bearer: token)).ProblemAsync(403);
        Assert.Equal(2, (await server.Trust().ListCaKeysAsync()).Count);
        var events = await server.Services.GetRequiredService<IBeaconStore>().ReadAuditAsync().ToListAsync();
        Assert.Equal(5, events.Count(e => e.Kind.StartsWith("ca.", StringComparison.Ordinal) && e.Outcome == AuditOutcome.Refused && e.Details.Contains("not an admin", StringComparison.Ordinal)));
    }

    [DatabaseFact]
    public async Task BundleVersionsGrowOnEachCaStepAndPolicyChangeAndNotOtherwise()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        Assert.Equal(1, await server.LatestBundleVersionAsync());
        await server.CheckTrustAsync();
        await server.CheckTrustAsync();
        Assert.Equal(1, await server.LatestBundleVersionAsync());

        Assert.Equal(2, (await (await client.CaStepAsync("user", "rotate")).OkJsonAsync()).GetProperty("bundle_version").GetInt64());
        var draft = TrustBundleDocument.Parse((await server.Trust().LatestTrustBundleAsync())!.Document);
        Assert.Equal(["active", "next"], draft.UserCaKeys.Select(k => k.State));
        Assert.Equal(server.Ring().Trusted(CaKind.User), draft.UserCaKeys.Select(k => k.Key));
        Assert.Equal(3, (await (await client.CaStepAsync("user", "activate")).OkJsonAsync()).GetProperty("bundle_version").GetInt64());
        Assert.Equal(4, (await (await client.CaStepAsync("user", "retire", new { force = true })).OkJsonAsync()).GetProperty("bundle_version").GetInt64());
        draft = TrustBundleDocument.Parse((await server.Trust().LatestTrustBundleAsync())!.Document);
        Assert.Equal([BundleCaKey.Active], draft.UserCaKeys.Select(k => k.State));
        Assert.Equal(server.Ring().UserCa.PublicKey, draft.UserCaKeys[0].Key);
        await server.CheckTrustAsync();
        Assert.Equal(4, await server.LatestBundleVersionAsync());

        // A policy change made elsewhere (another replica's configuration) reaches the bundle's host groups.
        var store = server.Services.GetRequiredService<IBeaconStore>();
        var policy = """{"policies":[{"name":"deployers","subjects":[{"provider":"staff"}],"principals":["deploy","{username}","ops*"],"host_groups":["prod"]}],"hosts":[]}""";
        await store.SavePolicyAsync(policy, "test", _clock.GetUtcNow().ToUnixTimeMilliseconds(),
            new AuditDraft("policy.update", AuditOutcome.Success, "test", "policy", new Dictionary<string, object?>()));
        await server.CheckTrustAsync();
        Assert.Equal(5, await server.LatestBundleVersionAsync());
        draft = TrustBundleDocument.Parse((await server.Trust().LatestTrustBundleAsync())!.Document);
        Assert.Equal(["deploy"], draft.HostGroups["prod"]);
        await server.CheckTrustAsync();
        Assert.Equal(5, await server.LatestBundleVersionAsync());

        var events = await store.ReadAuditAsync().ToListAsync();
        Assert.Equal(5, events.Count(e => e.Kind == "trust.bundle.draft"));
    }

    [DatabaseFact]
    public async Task AReplicaPicksUpAStepMadeThroughAnother()
    {
        var database = await engine.NewDatabaseAsync();
        using var shared = new TempDirectory();
        if (database.Name == "sqlite")
        {
            var file = shared.File("shared.db");
            database = new DatabaseTarget("sqlite", _ => new Dictionary<string, string?> { ["Beacon:Database:Provider"] = "sqlite", ["Beacon:Database:ConnectionString"] = file });
        }
        using var user = Ed25519PrivateKey.Generate();
        using var host = Ed25519PrivateKey.Generate();
        byte[] password = [1, 2, 3, 4, 5, 6, 7, 8];
        await using var a = TrustServer.Create(database, _clock, TrustServer.OfflineDrafts, new Beacon.Server.Signing.CaKeyRing(user, host, password));
        await using var b = TrustServer.Create(database, _clock, TrustServer.OfflineDrafts, new Beacon.Server.Signing.CaKeyRing(user, host, password));
        _ = a.Server;
        _ = b.Server;
        using var client = a.CreateClient();

        var next = SshPublicKeyParser.ParseLine((await (await client.CaStepAsync("user", "rotate")).OkJsonAsync()).GetProperty("key").GetProperty("public_key").GetString()!);
        await (await client.CaStepAsync("user", "activate")).OkJsonAsync();

        // B's own timer reloads within seconds; the test runs its check at once instead of waiting.
        await b.CheckTrustAsync();
        Assert.Equal(next, b.Ring().UserCa.PublicKey);
        Assert.Equal(a.Ring().Trusted(CaKind.User), b.Ring().Trusted(CaKind.User));
        using var key = Ed25519PrivateKey.Generate();
        Assert.Equal(next, (await b.IssueAsync("dave", key)).SignatureKey);
        Assert.Equal(3, await b.LatestBundleVersionAsync());
    }
}

public sealed class CaLifecycleOnSqlite(SqliteEngine engine) : CaLifecycleTests(engine), IClassFixture<SqliteEngine>;

[RequiresPostgres]
public sealed class CaLifecycleOnPostgres(PostgresEngine engine) : CaLifecycleTests(engine), IClassFixture<PostgresEngine>;
