using Beacon.Server.Api;
using Beacon.Server.CaLifecycle;
using Beacon.Server.Hosting;
using Beacon.Server.Keys;
using Beacon.Server.Revocation;
using Beacon.Server.Signing;
using Beacon.Server.Storage;
using Beacon.Trust.OpenPgp;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Trust;

/// <summary>The wiring of CA lifecycle and trust bundle publication (one line each in ServerComposition).</summary>
public static class TrustServices
{
    /// <summary>Registers the trust store, the bundle publisher, the CA lifecycle and the refresher (after the migrations' hosted service).</summary>
    public static IServiceCollection AddTrustDistribution(this IServiceCollection services)
    {
        services.AddOptions<BeaconServerOptions>()
            .Validate(o => o.Trust.Signing is TrustOptions.ServerSigning or TrustOptions.OfflineSigning, "Beacon:Trust:Signing must be server or offline")
            .Validate(o => !o.Trust.IsOffline || !string.IsNullOrEmpty(o.Trust.OperatorKeyFile), "Beacon:Trust:OperatorKeyFile is required when Beacon:Trust:Signing is offline")
            .Validate(o => !o.Trust.IsOffline || string.IsNullOrEmpty(o.Trust.OperatorKeyFile) || OperatorKeyLoads(o.Trust),
                "Beacon:Trust:OperatorKeyFile must be an armored OpenPGP public key (RSA or Ed25519) the server can read");
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<BeaconServerOptions>>().Value.Trust);
        services.AddSingleton<ITrustStore>(sp => new SqlBeaconStore(sp.GetRequiredService<ISqlDialect>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ServerBundleKey(() => OpenPgpSigningKey.Generate(BundleSigningKeyFiles.UserId + " (ephemeral)", sp.GetRequiredService<TimeProvider>().GetUtcNow())));
        services.AddSingleton(sp => new TrustBundlePublisher(sp.GetRequiredService<ITrustStore>(), sp.GetRequiredService<IBeaconStore>(),
            sp.GetRequiredService<TrustOptions>(), sp.GetRequiredService<RevocationKey>().PublicKey,
            () => sp.GetRequiredService<ServerBundleKey>().Key, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PublishedBundles>();
        services.AddSingleton<BundleSignatures>();
        services.AddSingleton<TrustRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<TrustRefresher>());
        services.AddSingleton(sp =>
        {
            var ring = sp.GetRequiredService<CaKeyRing>();
            var refresher = sp.GetRequiredService<TrustRefresher>();
            return new CaLifecycleService(sp.GetRequiredService<ITrustStore>(), sp.GetRequiredService<IBeaconStore>(), sp.GetRequiredService<TrustBundlePublisher>(),
                sp.GetRequiredService<TimeProvider>(), key => ring.Encrypt(key, "beacon CA"),
                cancellationToken => ring.RefreshAsync(sp.GetRequiredService<ITrustStore>(), cancellationToken));
        });
        return services;
    }

    private static bool OperatorKeyLoads(TrustOptions options)
    {
        try
        {
            OperatorKey.Load(options);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>GET /v1/trust/bundle, bundle.asc, bundle-key.asc; the admin draft and signature endpoints; the admin CA endpoints.</summary>
    public static IEndpointRouteBuilder MapTrustDistributionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapTrustBundleEndpoints();
        endpoints.MapCaEndpoints();
        return endpoints;
    }
}
