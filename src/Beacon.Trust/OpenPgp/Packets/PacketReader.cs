using System.Buffers.Binary;

namespace Beacon.Trust.OpenPgp.Packets;

/// <summary>
/// Splits binary OpenPGP data into packets (RFC 9580 section 4.2): old-format (tag in bits 5..2, length type
/// in bits 1..0) and new-format headers (tag in bits 5..0, one-, two- or five-octet lengths).
/// </summary>
internal static class PacketReader
{
    /// <summary>A sanity bound, not in the spec: keys and signatures are a few KiB at most.</summary>
    public const int MaxPacketBytes = 64 * 1024;

    /// <exception cref="OpenPgpFormatException">A bad header, a length past the end or over the limit, or a partial or indeterminate length.</exception>
    public static List<Packet> ReadAll(ReadOnlyMemory<byte> data)
    {
        var packets = new List<Packet>();
        var position = 0;
        var span = data.Span;
        while (position < span.Length)
        {
            var header = span[position];
            if ((header & 0x80) == 0)
            {
                throw new OpenPgpFormatException($"packet at offset {position}: header octet 0x{header:X2} lacks the packet-tag bit");
            }
            int tag;
            long length;
            var cursor = position + 1;
            if ((header & 0x40) != 0)
            {
                tag = header & 0x3F;
                length = ReadNewFormatLength(span, ref cursor, tag, position);
            }
            else
            {
                tag = (header >> 2) & 0x0F;
                length = ReadOldFormatLength(span, ref cursor, header & 0x03, tag, position);
            }
            if (length > MaxPacketBytes)
            {
                throw new OpenPgpFormatException($"packet {tag} at offset {position}: length {length} is over the {MaxPacketBytes}-byte limit");
            }
            if (length > span.Length - cursor)
            {
                throw new OpenPgpFormatException($"packet {tag} at offset {position}: length {length} runs past the end of the data ({span.Length - cursor} bytes left)");
            }
            packets.Add(new Packet(tag, data.Slice(cursor, (int)length)));
            position = cursor + (int)length;
        }
        return packets;
    }

    private static long ReadNewFormatLength(ReadOnlySpan<byte> span, ref int cursor, int tag, int offset)
    {
        var first = Octet(span, ref cursor, tag, offset);
        if (first < 192)
        {
            return first;
        }
        if (first < 224)
        {
            return ((first - 192) << 8) + Octet(span, ref cursor, tag, offset) + 192;
        }
        if (first == 255)
        {
            if (span.Length - cursor < 4)
            {
                throw Truncated(tag, offset);
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(span[cursor..]);
            cursor += 4;
            return length;
        }
        // Partial body lengths are for literal, compressed and encrypted data only (section 4.2.1.4), never keys or signatures.
        throw new OpenPgpFormatException($"packet {tag} at offset {offset}: a partial body length is not allowed for this packet type");
    }

    private static long ReadOldFormatLength(ReadOnlySpan<byte> span, ref int cursor, int lengthType, int tag, int offset)
    {
        switch (lengthType)
        {
            case 0:
                return Octet(span, ref cursor, tag, offset);
            case 1:
                if (span.Length - cursor < 2)
                {
                    throw Truncated(tag, offset);
                }
                var two = BinaryPrimitives.ReadUInt16BigEndian(span[cursor..]);
                cursor += 2;
                return two;
            case 2:
                if (span.Length - cursor < 4)
                {
                    throw Truncated(tag, offset);
                }
                var four = BinaryPrimitives.ReadUInt32BigEndian(span[cursor..]);
                cursor += 4;
                return four;
            default:
                throw new OpenPgpFormatException($"packet {tag} at offset {offset}: an indeterminate length is not allowed for this packet type");
        }
    }

    private static int Octet(ReadOnlySpan<byte> span, ref int cursor, int tag, int offset)
    {
        if (cursor >= span.Length)
        {
            throw Truncated(tag, offset);
        }
        return span[cursor++];
    }

    private static OpenPgpFormatException Truncated(int tag, int offset) =>
        new($"packet {tag} at offset {offset}: the header is truncated");
}
