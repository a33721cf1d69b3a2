namespace Beacon.Trust.OpenPgp.Encoding;

/// <summary>The armor checksum (RFC 9580 section 6.1): CRC-24 with generator 0x864CFB, initial value 0xB704CE.</summary>
internal static class Crc24
{
    private const int Initial = 0xB704CE;
    private const int Generator = 0x864CFB;

    public static int Compute(ReadOnlySpan<byte> data)
    {
        var crc = Initial;
        foreach (var octet in data)
        {
            crc ^= octet << 16;
            for (var bit = 0; bit < 8; bit++)
            {
                crc <<= 1;
                if ((crc & 0x1000000) != 0)
                {
                    crc ^= Generator;
                }
            }
        }
        return crc & 0xFFFFFF;
    }
}
