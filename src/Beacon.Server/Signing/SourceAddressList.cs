using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Beacon.Server.Signing;

/// <summary>
/// The value of the source-address critical option: a comma-separated list of IPv4 or IPv6 addresses
/// or CIDR networks (PROTOCOL.certkeys). Stricter than OpenSSH, never looser: every list accepted here
/// is accepted by OpenSSH and means the same to it.
/// </summary>
public static class SourceAddressList
{
    /// <summary>Sanity bound, not in the spec: entries in one list.</summary>
    public const int MaxEntries = 256;

    /// <summary>Validates the list and returns it unchanged.</summary>
    /// <exception cref="FormatException">An empty entry, an address that is not dotted-quad IPv4 or IPv6, a bad prefix, or host bits set.</exception>
    public static string Validate(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var entries = list.Split(',');
        if (entries.Length > MaxEntries)
        {
            throw new FormatException($"source-address: more than {MaxEntries} entries");
        }
        foreach (var entry in entries)
        {
            ValidateEntry(entry);
        }
        return list;
    }

    private static void ValidateEntry(string entry)
    {
        if (entry.Length == 0)
        {
            throw new FormatException("source-address: an empty entry (check for a doubled or trailing comma)");
        }
        var slash = entry.IndexOf('/');
        var addressText = slash < 0 ? entry : entry[..slash];
        var address = ParseAddress(addressText)
            ?? throw new FormatException($"source-address: \"{entry}\" is not an IPv4 address (a.b.c.d), an IPv6 address or a CIDR network");
        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            return;
        }
        var prefixText = entry[(slash + 1)..];
        if (!IsCanonicalDecimal(prefixText, 3) || int.Parse(prefixText, CultureInfo.InvariantCulture) > maxPrefix)
        {
            throw new FormatException($"source-address: \"{entry}\" has a prefix length that is not 0 to {maxPrefix}");
        }
        var prefix = int.Parse(prefixText, CultureInfo.InvariantCulture);
        // OpenSSH refuses a network with host bits set; "10.0.0.1/8" is almost always a typo for a narrower range.
        if (!HostBitsAreZero(address.GetAddressBytes(), prefix))
        {
            throw new FormatException($"source-address: \"{entry}\" has host bits set beyond /{prefix}");
        }
    }

    private static IPAddress? ParseAddress(string text)
    {
        if (text.Contains(':'))
        {
            // Hex digits, colons and an embedded dotted quad only: no zone index (%eth0), no brackets.
            if (!text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.'))
            {
                return null;
            }
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }
        // OpenSSH's parser reads "10.1" as 10.0.0.1 and "010.0.0.1" as octal 8.0.0.1; only plain
        // dotted quads are accepted here so that what the operator typed is what sshd enforces.
        var parts = text.Split('.');
        if (parts.Length != 4 || !parts.All(p => IsCanonicalDecimal(p, 3) && int.Parse(p, CultureInfo.InvariantCulture) <= 255))
        {
            return null;
        }
        return IPAddress.Parse(text);
    }

    private static bool IsCanonicalDecimal(string text, int maxDigits) =>
        text.Length is > 0 and var length && length <= maxDigits && text.All(char.IsAsciiDigit) && (text.Length == 1 || text[0] != '0');

    private static bool HostBitsAreZero(byte[] address, int prefix)
    {
        for (var bit = prefix; bit < address.Length * 8; bit++)
        {
            if ((address[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }
        return true;
    }
}
