using System.Net.Http.Headers;
using System.Net.Http.Json;
using Beacon.Server.Hosting;
using Beacon.Server.Hosts;
using Beacon.Server.Identity;
using Beacon.Server.Issuance;
using Beacon.Server.Policy;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Server.Tests.Revocation;
using Beacon.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Server.Tests.Hosts;

/// <summary>
/// A server in process with Hosts rules (group prod: *.prod.example.com for 720h; group runners:
/// *.ci.example.com for 24h), beacon-admins as the admin group, the staff directory double, and a clock
/// the tests move.
/// </summary>
public static class HostServer
{
    public const string ProdNames = "*.prod.example.com";
    public const string RunnerNames = "*.ci.example.com";

    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Beacon:Admin:Groups:0"] = StaffDirectoryDouble.AdminGroup,
        ["Beacon:Policy:Hosts:0:Group"] = "prod",
        ["Beacon:Policy:Hosts:0:Names:0"] = ProdNames,
        ["Beacon:Policy:Hosts:1:Group"] = "runners",
        ["Beacon:Policy:Hosts:1:Names:0"] = RunnerNames,
        ["Beacon:Policy:Hosts:1:MaxTtl"] = "24h",
    };

    public static BeaconServerFactory Create(DatabaseTarget database, Beacon.Testing.FakeTimeProvider clock, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new BeaconServerFactory(all, database)
        {
            OverrideServices = services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddSingleton(sp => new IdentityProviderRegistry(
                [
                    new StaffDirectoryDouble(),
                    sp.GetRequiredService<IdentityProviderFactory>().Create("token", new ProviderOptions { Type = "token" }),
                ]));
            },
        };
    }

    /// <summary>Mints a host enrollment token straight into the server's store, as the admin API and the CLI do.</summary>
    public static async Task<string> MintHostTokenAsync(this BeaconServerFactory server, TimeSpan? lifetime = null, params string[] groups)
    {
        var policy = await server.Services.GetRequiredService<PolicySource>().CurrentAsync(CancellationToken.None);
        var (token, _) = await HostEnrollmentToken.MintAsync(server.Services.GetRequiredService<IHostStore>(), server.Services.GetRequiredService<TokenDigest>(),
            policy.Document, groups, lifetime ?? TimeSpan.FromHours(1), "test", server.Services.GetRequiredService<TimeProvider>().GetUtcNow(), CancellationToken.None);
        return token;
    }

    public static async Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, string? bearer, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> GetAsync(this HttpClient client, string path, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await client.SendAsync(request);
    }
}

/// <summary>One host server per test class, on a fresh database of the engine, with a clock the tests move (and put back).</summary>
public abstract class HostServerFixture<TEngine> : IAsyncLifetime where TEngine : DatabaseEngine, new()
{
    private BeaconServerFactory? _factory;

    public TEngine Engine { get; } = new();

    public Beacon.Testing.FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public BeaconServerFactory Factory => _factory ?? throw new InvalidOperationException("the database engine is not available");

    public async Task InitializeAsync()
    {
        if (Engine.Available)
        {
            _factory = HostServer.Create(await Engine.NewDatabaseAsync(), Clock);
        }
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        Engine.Dispose();
    }
}

public sealed class SqliteHostServerFixture : HostServerFixture<SqliteEngine>;

public sealed class PostgresHostServerFixture : HostServerFixture<PostgresEngine>;
