using Beacon.Client;
using Beacon.Cli.Settings;

namespace Beacon.Cli.Server;

/// <summary>The pinned connection to beacon-server, and the server's refusals turned into one-line messages.</summary>
internal static class ServerConnection
{
    /// <exception cref="CliException">The URL or fingerprint is malformed.</exception>
    public static BeaconClient Open(string server, string fingerprint)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new CliException($"server: \"{server}\" is not an https:// URL");
        }
        try
        {
            // The client resolves API paths against the base: keep a trailing slash so a path prefix survives.
            var baseUri = uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
            return new BeaconClient(baseUri, fingerprint);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"fingerprint: {e.Message}");
        }
    }

    public static BeaconClient Open(CliConfig config) => Open(config.Server, config.Fingerprint);

    /// <summary>A server refusal or an unreachable server, as one line that says what to do.</summary>
    public static CliException Explain(BeaconApiException e, string doing) => e.Status switch
    {
        0 => new CliException($"{doing}: cannot reach the server: {e.Detail}"),
        401 => new CliException($"{doing}: the server did not accept the login ({Reason(e)}); run `beacon login`"),
        403 => new CliException($"{doing}: refused (403): {Reason(e)}"),
        429 => new CliException($"{doing}: too many requests (429): {Reason(e)}{(e.RetryAfter is { } wait ? $"; retry in {(int)wait.TotalSeconds}s" : "")}"),
        _ => new CliException($"{doing}: {e.Status} {e.Title}: {Reason(e)}"),
    };

    private static string Reason(BeaconApiException e) => string.IsNullOrEmpty(e.Detail) ? e.Title : e.Detail;
}
