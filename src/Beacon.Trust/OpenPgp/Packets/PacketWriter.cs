namespace Beacon.Trust.OpenPgp.Packets;

/// <summary>Writes packets with new-format headers (RFC 9580 section 4.2.1), as gpg 2.2 does for keys and signatures.</summary>
internal static class PacketWriter
{
    public static void Write(Stream output, int tag, ReadOnlySpan<byte> body)
    {
        output.WriteByte((byte)(0xC0 | tag));
        var length = body.Length;
        if (length < 192)
        {
            output.WriteByte((byte)length);
        }
        else if (length < 8384)
        {
            var value = length - 192;
            output.WriteByte((byte)((value >> 8) + 192));
            output.WriteByte((byte)value);
        }
        else
        {
            output.WriteByte(255);
            output.WriteByte((byte)(length >> 24));
            output.WriteByte((byte)(length >> 16));
            output.WriteByte((byte)(length >> 8));
            output.WriteByte((byte)length);
        }
        output.Write(body);
    }
}
