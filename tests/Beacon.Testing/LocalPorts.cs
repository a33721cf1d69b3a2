using System.Net;
using System.Net.Sockets;

namespace Beacon.Testing;

/// <summary>Free TCP ports on the loopback address, for servers the tests start.</summary>
public static class LocalPorts
{
    /// <summary>
    /// A port that was free on 127.0.0.1 a moment ago. Another process may take it before the caller
    /// binds it, so servers that use it retry with a new port when the bind fails.
    /// </summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
