using System.Text.Json;

namespace Beacon.Cli.Settings;

/// <summary>The access token from the last `beacon login`, kept so `beacon ssh` can renew the certificate.</summary>
internal sealed record StoredToken(string Provider, string AccessToken, DateTimeOffset ObtainedAt, DateTimeOffset? ExpiresAt);

/// <summary>
/// tokens.json, mode 0600 in the 0700 config directory: the one place a token is written. It is never
/// printed or logged, and `beacon logout` deletes it.
/// </summary>
internal static class TokenStore
{
    public static StoredToken? Load(BeaconPaths paths)
    {
        var text = PrivateFiles.ReadIfExists(paths.TokenFile);
        if (text is null)
        {
            return null;
        }
        try
        {
            var token = JsonSerializer.Deserialize(text, CliJsonContext.Default.StoredToken);
            return token is { AccessToken.Length: > 0, Provider.Length: > 0 } ? token : null;
        }
        catch (JsonException)
        {
            // A damaged token file is as good as none: the next login replaces it.
            return null;
        }
    }

    public static void Save(BeaconPaths paths, StoredToken token)
    {
        paths.EnsureDirectory();
        PrivateFiles.WriteAtomically(paths.TokenFile, JsonSerializer.Serialize(token, CliJsonContext.Default.StoredToken) + "\n", PrivateFiles.Private);
    }

    public static bool Delete(BeaconPaths paths) => PrivateFiles.TryDelete(paths.TokenFile);
}
