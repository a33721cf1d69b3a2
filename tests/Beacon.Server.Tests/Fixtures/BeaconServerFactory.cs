using Beacon.Server.Hosting;
using Beacon.Server.Revocation;
using Beacon.Server.Signing;
using Beacon.Server.Storage;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Beacon.Server.Tests.Fixtures;

/// <summary>
/// The server in process through WebApplicationFactory, wired exactly as `beacon-server run` wires it,
/// on a fresh SQLite file (or a PostgreSQL database when given), with generated CA keys.
/// </summary>
public sealed class BeaconServerFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    /// <param name="settings">Configuration overriding the defaults (Beacon:Limits:*, Beacon:Redis:*).</param>
    /// <param name="database">The database; a fresh SQLite file in the server's directory by default.</param>
    /// <param name="cas">CA keys to share with another server (replicas); fresh ones by default.</param>
    public BeaconServerFactory(IDictionary<string, string?>? settings = null, DatabaseTarget? database = null, CaKeyRing? cas = null)
    {
        Directory = new TempDirectory("beacon-server-test-");
        _settings = new Dictionary<string, string?>
        {
            ["Beacon:DataDir"] = Directory.Path,
            ["Beacon:Providers:token:Type"] = "token",
            ["Beacon:Policy:Policies:0:Name"] = "tokens",
            ["Beacon:Policy:Policies:0:Subjects:0:Provider"] = "token",
            ["Beacon:Policy:Policies:0:Principals:0"] = "*",
            ["Beacon:Policy:Policies:0:MaxTtl"] = "1h",
        };
        foreach (var (key, value) in (database ?? DatabaseTarget.Sqlite).Settings(Directory))
        {
            _settings[key] = value;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        Cas = cas ?? new CaKeyRing(Ed25519PrivateKey.Generate(), Ed25519PrivateKey.Generate());
    }

    public TempDirectory Directory { get; }

    public CaKeyRing Cas { get; }

    /// <summary>The KRL-signing key; shared by replicas made with the same one.</summary>
    public RevocationKey Revocation { get; init; } = SharedRevocationKey;

    /// <summary>One revocation key for every test server unless a test gives its own, so replicas agree by default.</summary>
    public static RevocationKey SharedRevocationKey { get; } = new(Ed25519PrivateKey.Generate());

    /// <summary>Replaces registrations after the server's own (a fake clock, a failing store).</summary>
    public Action<IServiceCollection>? OverrideServices { get; init; }

    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder()
            .ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings))
            .ConfigureWebHostDefaults(web =>
            {
                web.UseContentRoot(AppContext.BaseDirectory);
                web.ConfigureServices((context, services) =>
                {
                    services.AddBeaconServer(context.Configuration, Cas, new byte[32], Revocation);
                    OverrideServices?.Invoke(services);
                });
                web.Configure(app => app.UseBeaconServer());
            });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Directory.Dispose();
        }
    }
}

/// <summary>Which database a test server uses.</summary>
public sealed record DatabaseTarget(string Name, Func<TempDirectory, IDictionary<string, string?>> Settings)
{
    public static readonly DatabaseTarget Sqlite = new("sqlite", dir => new Dictionary<string, string?> { ["Beacon:Database:Provider"] = "sqlite" });

    public static DatabaseTarget Postgres(string connectionString) =>
        new("postgres", _ => new Dictionary<string, string?> { ["Beacon:Database:Provider"] = "postgres", ["Beacon:Database:ConnectionString"] = connectionString });

    /// <summary>The database options a server with this target and data directory uses.</summary>
    public DatabaseOptions Options(TempDirectory directory)
    {
        var settings = Settings(directory);
        return new DatabaseOptions
        {
            Provider = settings["Beacon:Database:Provider"]!,
            ConnectionString = settings.TryGetValue("Beacon:Database:ConnectionString", out var value) ? value : null,
        };
    }

    /// <summary>A store over this target's database, as the server would open it (not yet migrated).</summary>
    public SqlBeaconStore CreateStore(TempDirectory directory, TimeProvider? clock = null) =>
        new(ServerComposition.CreateDialect(new BeaconServerOptions { DataDir = directory.Path, Database = Options(directory) }), clock ?? TimeProvider.System);

    public override string ToString() => Name;
}
