using Microsoft.Extensions.Configuration;

namespace Beacon.Server.Hosting;

/// <summary>
/// Configuration the ASP.NET Core way, in increasing precedence: appsettings.json beside the program,
/// the data directory's beacon.json, environment variables (Beacon__Database__Provider=postgres), and
/// command-line overrides.
/// </summary>
public static class ServerConfiguration
{
    public static void AddBeaconSources(this IConfigurationBuilder builder, DataDirectory data, string[]? overrides = null)
    {
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        builder.AddJsonFile(data.ConfigFile, optional: true);
        builder.AddEnvironmentVariables();
        if (overrides is { Length: > 0 })
        {
            builder.AddCommandLine(overrides);
        }
        builder.AddInMemoryCollection([new KeyValuePair<string, string?>($"{BeaconServerOptions.Section}:DataDir", data.Root)]);
    }

    /// <summary>Reads the options for local commands that act on a data directory without serving.</summary>
    public static BeaconServerOptions Load(DataDirectory data)
    {
        var builder = new ConfigurationBuilder();
        builder.AddBeaconSources(data);
        var options = new BeaconServerOptions();
        builder.Build().GetSection(BeaconServerOptions.Section).Bind(options);
        return options;
    }
}
