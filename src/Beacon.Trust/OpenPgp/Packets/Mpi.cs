namespace Beacon.Trust.OpenPgp.Packets;

/// <summary>Multiprecision integers (RFC 9580 section 3.2) and fixed-width values carried in them.</summary>
internal static class Mpi
{
    /// <summary>Writes the magnitude with leading zero octets removed and the exact bit count, as the spec requires.</summary>
    public static void Write(Stream output, ReadOnlySpan<byte> magnitude)
    {
        var start = 0;
        while (start < magnitude.Length && magnitude[start] == 0)
        {
            start++;
        }
        var value = magnitude[start..];
        var bits = value.IsEmpty ? 0 : (value.Length - 1) * 8 + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)value[0]));
        output.WriteByte((byte)(bits >> 8));
        output.WriteByte((byte)bits);
        output.Write(value);
    }

    /// <summary>An MPI value as a fixed-width big-endian field (e.g. an EdDSA r or s of 32 octets), left-padded with zeros.</summary>
    /// <exception cref="OpenPgpFormatException">The value is wider than <paramref name="width"/>.</exception>
    public static byte[] ToFixedWidth(ReadOnlySpan<byte> magnitude, int width, string field)
    {
        var start = 0;
        while (start < magnitude.Length && magnitude[start] == 0)
        {
            start++;
        }
        var value = magnitude[start..];
        if (value.Length > width)
        {
            throw new OpenPgpFormatException($"{field} is {value.Length} bytes, expected at most {width}");
        }
        var result = new byte[width];
        value.CopyTo(result.AsSpan(width - value.Length));
        return result;
    }
}
