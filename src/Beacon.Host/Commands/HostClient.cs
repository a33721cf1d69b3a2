using Beacon.Client;
using Beacon.Host.Files;

namespace Beacon.Host.Commands;

/// <summary>The API client for the configured server, pinned to the TLS fingerprint from bootstrap.</summary>
internal static class HostClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static BeaconClient Create(HostConfig config)
    {
        if (!Uri.TryCreate(config.Server, UriKind.Absolute, out var server))
        {
            throw new HostException($"config.json: server \"{config.Server}\" is not an absolute URL");
        }
        try
        {
            return new BeaconClient(server, config.TlsFingerprint, Timeout);
        }
        catch (ArgumentException e)
        {
            throw new HostException($"config.json: {e.Message}", e);
        }
    }
}
