using Beacon.Server.Hosting;
using Beacon.Server.Signing;
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

    public BeaconServerFactory(IDictionary<string, string?>? settings = null, DatabaseTarget? database = null)
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
        Cas = new CaKeyRing(Ed25519PrivateKey.Generate(), Ed25519PrivateKey.Generate());
    }

    public TempDirectory Directory { get; }

    public CaKeyRing Cas { get; }

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
                    services.AddBeaconServer(context.Configuration, Cas, new byte[32]);
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

    public override string ToString() => Name;
}
