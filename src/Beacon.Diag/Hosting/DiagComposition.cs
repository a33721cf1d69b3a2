using Beacon.Diag.Alerts;
using Beacon.Diag.Api;
using Beacon.Diag.Ingest;
using Beacon.Diag.Observability;
using Beacon.Diag.Pages;
using Beacon.Diag.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Beacon.Diag.Hosting;

/// <summary>beacon-diag's services and pipeline, used by `beacon-diag run` and by the tests alike.</summary>
public static class DiagComposition
{
    /// <exception cref="DiagConfigurationException">The "Diag" section is invalid.</exception>
    public static IServiceCollection AddBeaconDiag(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new DiagOptions();
        configuration.GetSection(DiagOptions.Section).Bind(options);
        DiagOptionsValidator.Validate(options);
        services.AddSingleton(options);
        services.AddSingleton(AlertRules.From(options.Alerts.Rules));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(CreateDialect(options));
        services.AddSingleton<IDiagStore, SqlDiagStore>();
        services.AddSingleton<DiagMetrics>();
        services.AddSingleton<IngestRateLimits>();
        services.TryAddSingleton<IAlertNotifier, WebhookNotifier>();
        services.AddSingleton<AlertEvaluator>();
        services.AddHostedService<AlertLoop>();
        services.AddProblemDetails();
        return services;
    }

    /// <summary>Migrates the store, then maps /v1/telemetry, /healthz, /metrics and /.</summary>
    public static IApplicationBuilder UseBeaconDiag(this IApplicationBuilder app)
    {
        app.ApplicationServices.GetRequiredService<IDiagStore>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        app.UseMiddleware<ProblemBoundary>();
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapTelemetry();
            endpoints.MapHealth();
            endpoints.MapStatusPage();
        });
        return app;
    }

    private static IDiagDialect CreateDialect(DiagOptions options)
    {
        if (options.Database.ConnectionString is { Length: > 0 } connectionString)
        {
            return new PostgresDiagDialect(connectionString);
        }
        var directory = options.DataDir!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return new SqliteDiagDialect(Path.Combine(directory, "diag.db"));
    }
}
