using Beacon.Server.Ca;
using Beacon.Server.Commands;
using Beacon.Server.Revocation;
using Beacon.Server.Signing;
using Beacon.Server.Trust;

namespace Beacon.Server.Hosting;

/// <summary>Builds the real HTTPS server for `run`: keys are decrypted before anything listens, so a bad password fails closed.</summary>
public static class ServerHost
{
    /// <exception cref="CommandException">The password, keys or TLS files cannot be loaded.</exception>
    public static WebApplication Build(DataDirectory data, string urls, string[] overrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = overrides, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddBeaconSources(data, overrides);
        var options = new BeaconServerOptions();
        builder.Configuration.GetSection(BeaconServerOptions.Section).Bind(options);

        CaKeyRing cas;
        RevocationKey revocationKey;
        bool revocationKeyCreated;
        Beacon.Trust.OpenPgp.OpenPgpSigningKey? bundleKey = null;
        var bundleKeyCreated = false;
        var password = PasswordFile.Read(options.PasswordFile ?? data.DefaultPasswordFile);
        try
        {
            cas = CaKeyRing.Load(data.CaDirectory, password);
            try
            {
                // A data directory made before revocation keys existed gets one now, under the same password.
                revocationKey = RevocationKeyFiles.LoadOrCreate(data.CaDirectory, password, out revocationKeyCreated);
            }
            catch
            {
                cas.Dispose();
                throw;
            }
            try
            {
                // Likewise the bundle-signing key (server signing mode); offline mode never uses one.
                if (!options.Trust.IsOffline)
                {
                    bundleKey = BundleSigningKeyFiles.LoadOrCreate(data, password, TimeProvider.System.GetUtcNow(), out bundleKeyCreated);
                }
            }
            catch
            {
                cas.Dispose();
                revocationKey.Dispose();
                throw;
            }
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(password);
        }
        byte[] hmacKey;
        System.Security.Cryptography.X509Certificates.X509Certificate2 tls;
        try
        {
            hmacKey = File.ReadAllBytes(data.TokenHmacKey);
            tls = TlsCertificateFactory.Load(data);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            cas.Dispose();
            revocationKey.Dispose();
            bundleKey?.Dispose();
            throw new CommandException($"cannot load the server's secrets from {data.Root}: {e.Message}");
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss ";
        });
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxRequestBodyBytes;
            kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = tls);
        });
        if (bundleKey is not null)
        {
            builder.Services.AddSingleton(new ServerBundleKey(bundleKey));
        }
        builder.Services.AddBeaconServer(builder.Configuration, cas, hmacKey, revocationKey);
        var app = builder.Build();
        if (revocationKeyCreated)
        {
            app.Logger.LogWarning("created the revocation key {Path} ({Fingerprint}): this data directory predates it; hosts pin it from /v1/trust/revocation-key.pub",
                RevocationKeyFiles.PublicKeyPath(data.CaDirectory), revocationKey.PublicKey.Fingerprint);
        }
        if (bundleKeyCreated)
        {
            app.Logger.LogWarning("created the bundle-signing key {Path} ({Fingerprint}): this data directory predates it; copy it to every host (beacon-host pins it)",
                BundleSigningKeyFiles.PublicKeyPath(data), bundleKey!.PublicKey.Fingerprint);
        }
        app.UseBeaconServer();
        return app;
    }
}
