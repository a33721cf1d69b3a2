using System.Net;
using System.Net.Sockets;

namespace Beacon.Testing;

/// <summary>Free TCP ports on 127.0.0.1 for servers the tests start.</summary>
public static class FreePort
{
    /// <summary>A port the kernel just handed out; another process may take it before we bind, so callers retry on a clash.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
