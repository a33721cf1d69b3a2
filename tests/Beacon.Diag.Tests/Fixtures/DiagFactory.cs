using Beacon.Diag.Hosting;
using Beacon.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Beacon.Diag.Tests.Fixtures;

/// <summary>
/// beacon-diag in process through WebApplicationFactory, wired as `beacon-diag run` wires it, on a fresh
/// SQLite file in its own directory, or on the PostgreSQL database given.
/// </summary>
public sealed class DiagFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    /// <param name="settings">Configuration overriding the defaults (Diag:Limits:*, Diag:Alerts:*).</param>
    /// <param name="postgresConnectionString">A PostgreSQL database; SQLite in the directory when null.</param>
    public DiagFactory(IDictionary<string, string?>? settings = null, string? postgresConnectionString = null)
    {
        Directory = new TempDirectory("beacon-diag-test-");
        _settings = new Dictionary<string, string?>
        {
            ["Diag:DataDir"] = Directory.Path,
            ["Diag:Database:ConnectionString"] = postgresConnectionString,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public TempDirectory Directory { get; }

    /// <summary>Replaces registrations after the server's own (a fake clock).</summary>
    public Action<IServiceCollection>? OverrideServices { get; init; }

    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder()
            .ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings))
            .ConfigureWebHostDefaults(web =>
            {
                web.UseContentRoot(AppContext.BaseDirectory);
                web.ConfigureServices((context, services) =>
                {
                    OverrideServices?.Invoke(services);
                    services.AddBeaconDiag(context.Configuration);
                });
                web.Configure(app => app.UseBeaconDiag());
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
