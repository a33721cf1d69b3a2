namespace Beacon.Diag.Hosting;

/// <summary>Builds the server `beacon-diag run` serves.</summary>
public static class DiagHost
{
    /// <exception cref="DiagConfigurationException">The configuration is invalid.</exception>
    public static WebApplication Build(string dataDir, string urls, string[]? overrides = null, Action<IServiceCollection>? overrideServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddDiagSources(dataDir, overrides);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss ";
        });
        builder.WebHost.UseUrls(urls);
        var limits = new DiagLimitOptions();
        builder.Configuration.GetSection($"{DiagOptions.Section}:Limits").Bind(limits);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The endpoint reads at most MaxBodyBytes + 1 and answers 413 itself; Kestrel's limit, with
            // room for what it buffers ahead, stops it draining a huge body after that answer.
            kestrel.Limits.MaxRequestBodySize = 2L * limits.MaxBodyBytes + 65536;
        });
        builder.Services.AddBeaconDiag(builder.Configuration);
        overrideServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseBeaconDiag();
        return app;
    }
}
