using System.Net;

namespace Beacon.Server.Policy;

/// <summary>CIDR parsing and matching for source-address rules.</summary>
public static class Cidr
{
    public static bool TryParse(string text, out IPNetwork network) => IPNetwork.TryParse(text.Trim(), out network);

    public static bool Contains(string cidr, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return TryParse(cidr, out var network) && network.Contains(address);
    }

    /// <summary>Whether a source-address value (comma-separated CIDRs or addresses) is well formed.</summary>
    public static bool IsValidList(string value) =>
        value.Length <= 1024 && value.Split(',').All(part => TryParse(part, out _) || IPAddress.TryParse(part.Trim(), out _));
}
