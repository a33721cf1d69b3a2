namespace Beacon.Trust.OpenPgp.Packets;

/// <summary>The packet types this code reads or writes (RFC 9580 section 5).</summary>
internal static class PacketTag
{
    public const int Signature = 2;
    public const int SecretKey = 5;
    public const int PublicKey = 6;
    public const int SecretSubkey = 7;
    public const int Marker = 10;
    public const int Trust = 12;
    public const int UserId = 13;
    public const int PublicSubkey = 14;
    public const int UserAttribute = 17;
    public const int Padding = 21;
}
