using System.Text.Json;
using Beacon.Client;

namespace Beacon.Cli.Settings;

/// <summary>
/// config.json: the pinned server (written by `beacon init`) and what it said about logging in. Not a
/// secret; the tokens live apart, in tokens.json (0600).
/// </summary>
internal sealed record CliConfig(string Server, string Fingerprint)
{
    /// <summary>The provider `beacon login` uses unless told otherwise.</summary>
    public string? Provider { get; init; }

    /// <summary>The providers as the server described them at init (GET /v1/login-config).</summary>
    public IReadOnlyList<LoginProviderInfo> Providers { get; init; } = [];

    /// <summary>The host group the last `beacon login --host-group` asked for; `beacon ssh` renews for the same (null: none).</summary>
    public string? HostGroup { get; init; }

    /// <exception cref="CliException">Not initialised, or the file is not a config.</exception>
    public static CliConfig Load(BeaconPaths paths) =>
        TryLoad(paths) ?? throw new CliException($"not initialised: run `beacon init --server URL --fingerprint SHA256` first (no {paths.ConfigFile})");

    public static CliConfig? TryLoad(BeaconPaths paths)
    {
        var text = PrivateFiles.ReadIfExists(paths.ConfigFile);
        if (text is null)
        {
            return null;
        }
        try
        {
            var config = JsonSerializer.Deserialize(text, CliJsonContext.Default.CliConfig);
            if (config is null || string.IsNullOrEmpty(config.Server) || string.IsNullOrEmpty(config.Fingerprint))
            {
                throw new JsonException("server and fingerprint are required");
            }
            return config with { Providers = config.Providers ?? [] };
        }
        catch (JsonException e)
        {
            throw new CliException($"{paths.ConfigFile}: not a beacon config ({e.Message}); run `beacon init` again");
        }
    }

    public void Save(BeaconPaths paths)
    {
        paths.EnsureDirectory();
        PrivateFiles.WriteAtomically(paths.ConfigFile, JsonSerializer.Serialize(this, CliJsonContext.Default.CliConfig) + "\n", PrivateFiles.Private);
    }
}
