using Beacon.Server.Api;
using Beacon.Server.Audit;
using Beacon.Server.Hosts;
using Beacon.Server.Identity;
using Beacon.Server.Issuance;
using Beacon.Server.Observability;
using Beacon.Server.Policy;
using Beacon.Server.Revocation;
using Beacon.Server.Signing;
using Beacon.Server.Storage;
using Beacon.Server.Trust;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Hosting;

/// <summary>
/// The server's wiring, shared by `beacon-server run` and the tests' WebApplicationFactory: services
/// from configuration, then the middleware and endpoints.
/// </summary>
public static class ServerComposition
{
    /// <summary>Registers everything; the CA keys, the revocation key and the token HMAC key are loaded by the caller (fail closed before serving).</summary>
    public static IServiceCollection AddBeaconServer(this IServiceCollection services, IConfiguration configuration, CaKeyRing cas, byte[] tokenHmacKey,
        RevocationKey revocationKey)
    {
        services.AddOptions<BeaconServerOptions>().Bind(configuration.GetSection(BeaconServerOptions.Section))
            .Validate(o => o.Database.Provider is "sqlite" or "postgres", "Beacon:Database:Provider must be sqlite or postgres")
            .Validate(o => o.Database.Provider != "postgres" || !string.IsNullOrEmpty(o.Database.ConnectionString), "Beacon:Database:ConnectionString is required for postgres")
            .Validate(o => o.Providers.Count > 0, "Beacon:Providers names no identity provider")
            .ValidateOnStart();
        services.AddProblemDetails();
        services.AddExceptionHandler<StoreUnavailableHandler>();
        // Identity providers are asked on every request: a slow one must fail fast (503), not hold requests.
        services.AddHttpClient();
        services.ConfigureHttpClientDefaults(client => client.ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(10)));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(cas);
        services.AddSingleton(revocationKey);
        services.AddSingleton(new TokenDigest(tokenHmacKey));
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<RequestRateLimits>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<BeaconServerOptions>>().Value.Issuance);
        services.AddSingleton<ISqlDialect>(sp => CreateDialect(sp.GetRequiredService<IOptions<BeaconServerOptions>>().Value));
        services.AddSingleton<IBeaconStore>(sp => new SqlBeaconStore(sp.GetRequiredService<ISqlDialect>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PolicySource>();
        services.AddSingleton(sp => sp.GetRequiredService<IBeaconStore>() as IAdminStore ?? throw new InvalidOperationException("the store has no admin searches"));
        services.AddSingleton<IdentityProviderFactory>();
        services.AddSingleton(sp =>
        {
            var factory = sp.GetRequiredService<IdentityProviderFactory>();
            var providers = sp.GetRequiredService<IOptions<BeaconServerOptions>>().Value.Providers;
            return new IdentityProviderRegistry(providers.Select(p => factory.Create(p.Key, p.Value)));
        });
        services.AddSingleton<IActiveCertificateTracker>(sp =>
        {
            var redis = sp.GetRequiredService<IOptions<BeaconServerOptions>>().Value.Redis.Configuration;
            return string.IsNullOrEmpty(redis)
                ? new NoActiveCertificateTracker()
                : new RedisActiveCertificateTracker(redis, sp.GetRequiredService<ServerMetrics>(), sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<RedisActiveCertificateTracker>>());
        });
        services.AddSingleton<UserCertificateIssuer>();
        services.AddSingleton<Revoker>();
        services.AddSingleton<KrlPublisher>();
        services.AddBeaconHosts(configuration);
        services.AddHostedService<StartupTasks>();
        services.AddTrustDistribution();
        services.AddHostedService<AuditStreamer>();
        return services;
    }

    /// <summary>Middleware (errors as problem+json, latency, security headers) and the /v1 API.</summary>
    public static IApplicationBuilder UseBeaconServer(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.CacheControl = "no-store";
            await next();
            context.RequestServices.GetRequiredService<ServerMetrics>().ObserveRequest(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        });
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapCertificateEndpoints();
            endpoints.MapMeEndpoints();
            endpoints.MapTrustEndpoints();
            endpoints.MapKrlEndpoints();
            endpoints.MapRevocationEndpoints();
            endpoints.MapTrustDistributionEndpoints();
            endpoints.MapHostEndpoints();
            endpoints.MapHealthEndpoints();
            endpoints.MapLoginConfigEndpoints();
            endpoints.MapMeHistoryEndpoints();
            endpoints.MapAdminUserEndpoints();
            endpoints.MapAdminCertificateEndpoints();
            endpoints.MapAdminAuditEndpoints();
            endpoints.MapAdminPolicyEndpoints();
        });
        return app;
    }

    internal static ISqlDialect CreateDialect(BeaconServerOptions options) => options.Database.Provider switch
    {
        "postgres" => new PostgresDialect(options.Database.ConnectionString!),
        _ => new SqliteDialect(options.Database.ConnectionString is { Length: > 0 } path ? path : new DataDirectory(options.DataDir).SqliteDatabase),
    };

    private static void TryAddSingleton<T>(this IServiceCollection services, T instance) where T : class
    {
        if (!services.Any(d => d.ServiceType == typeof(T)))
        {
            services.AddSingleton(instance);
        }
    }
}

/// <summary>Migrates the database and seeds the configured policy before the server takes requests.</summary>
internal sealed class StartupTasks(IBeaconStore store, PolicySource policies, IOptions<BeaconServerOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        await policies.SeedFromConfigurationAsync(options.Value.Policy, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
