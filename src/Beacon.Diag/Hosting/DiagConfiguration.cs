namespace Beacon.Diag.Hosting;

/// <summary>
/// Configuration the ASP.NET Core way, in increasing precedence: appsettings.json beside the program,
/// the data directory's diag.json, environment variables (Diag__Database__ConnectionString=...),
/// command-line overrides, and --data-dir. beacon-diag reads only its "Diag" section (and Logging, Kestrel).
/// </summary>
public static class DiagConfiguration
{
    public const string ConfigFileName = "diag.json";

    public static void AddDiagSources(this IConfigurationBuilder builder, string dataDir, string[]? overrides = null)
    {
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        builder.AddJsonFile(Path.Combine(Path.GetFullPath(dataDir), ConfigFileName), optional: true);
        builder.AddEnvironmentVariables();
        if (overrides is { Length: > 0 })
        {
            builder.AddCommandLine(overrides);
        }
        builder.AddInMemoryCollection([new KeyValuePair<string, string?>($"{DiagOptions.Section}:DataDir", Path.GetFullPath(dataDir))]);
    }
}
