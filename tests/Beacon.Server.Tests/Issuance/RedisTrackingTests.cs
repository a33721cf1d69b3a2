using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using StackExchange.Redis;

namespace Beacon.Server.Tests.Issuance;

/// <summary>
/// The optional Redis index of live certificates, against a real redis-server: an issued certificate is
/// found by its key's fingerprint until it expires; with Redis down, issuance goes on and is counted.
/// </summary>
public sealed class RedisTrackingTests : IDisposable
{
    private readonly RedisServer? _redis = RealServices.RedisSkipReason() is null ? RedisServer.Start() : null;
    private readonly List<BeaconServerFactory> _factories = [];

    private RedisServer Redis => _redis ?? throw new InvalidOperationException(RealServices.RedisSkipReason());

    [RequiresRedisFact]
    public async Task IssuedCertificateIsTrackedByFingerprintForItsRemainingLifetime()
    {
        using var client = Server(Redis.Configuration).CreateClient();
        var key = Ed25519PrivateKey.Generate().PublicKey;
        // A username with JSON's special characters must not corrupt the stored value.
        var (serial, validBefore) = await IssueAsync(client, key, "10m", "a\"l\\ice");

        using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        var database = redis.GetDatabase();
        var value = await database.StringGetAsync($"beacon:active:{key.Fingerprint}");
        Assert.True(value.HasValue, "the certificate is not in Redis");
        using var json = JsonDocument.Parse((string)value!);
        Assert.Equal(serial, json.RootElement.GetProperty("serial").GetString());
        Assert.Equal("a\"l\\ice", json.RootElement.GetProperty("username").GetString());
        Assert.Equal(validBefore, json.RootElement.GetProperty("valid_before").GetInt64());

        var ttl = await database.KeyTimeToLiveAsync($"beacon:active:{key.Fingerprint}");
        var remaining = TimeSpan.FromSeconds(validBefore - DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, remaining - TimeSpan.FromSeconds(5), remaining + TimeSpan.FromSeconds(1));
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Equal(0, await RedisFailuresAsync(client));
    }

    [RequiresRedisFact]
    public async Task IssuanceGoesOnWhenRedisGoesDown()
    {
        using var client = Server(Redis.Configuration).CreateClient();
        await IssueAsync(client, Ed25519PrivateKey.Generate().PublicKey, "5m");
        Assert.Equal(0, await RedisFailuresAsync(client));

        Redis.Stop();
        for (var i = 1; i <= 3; i++)
        {
            var elapsed = Stopwatch.StartNew();
            await IssueAsync(client, Ed25519PrivateKey.Generate().PublicKey, "5m");
            // The tracker gives Redis a second at most; issuance must not wait on it longer.
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(3), $"issuance took {elapsed.Elapsed} with Redis down");
            Assert.Equal(i, await RedisFailuresAsync(client));
        }
    }

    [RequiresRedisFact]
    public async Task IssuanceGoesOnWhenRedisWasNeverUp()
    {
        using var client = Server($"127.0.0.1:{FreePort.Next()}").CreateClient();
        var elapsed = Stopwatch.StartNew();
        await IssueAsync(client, Ed25519PrivateKey.Generate().PublicKey, "5m");
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(5), $"issuance took {elapsed.Elapsed} with no Redis");
        Assert.Equal(1, await RedisFailuresAsync(client));
    }

    private BeaconServerFactory Server(string redis)
    {
        var factory = new BeaconServerFactory(new Dictionary<string, string?> { ["Beacon:Redis:Configuration"] = redis });
        _factories.Add(factory);
        return factory;
    }

    private async Task<(string Serial, long ValidBefore)> IssueAsync(HttpClient client, SshPublicKey key, string ttl, string user = "alice")
    {
        var token = await _factories[^1].MintTokenAsync(user, user);
        using var response = await client.RequestCertificateAsync(token, new { public_key = key.ToOpenSshString(), ttl });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("serial").GetString()!, json.RootElement.GetProperty("valid_before").GetInt64());
    }

    private static async Task<long> RedisFailuresAsync(HttpClient client)
    {
        var metrics = await client.GetStringAsync("/metrics");
        var line = metrics.Split('\n').Single(l => l.StartsWith("beacon_redis_failures_total ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _factories.ForEach(f => f.Dispose());
        _redis?.Dispose();
    }
}
