using System.Buffers.Binary;

namespace Beacon.Trust.OpenPgp.Packets;

/// <summary>
/// Reads the fields of one packet body, checking bounds before every read. Errors name the packet
/// (<paramref name="context"/>) and the field.
/// </summary>
internal ref struct PgpReader(ReadOnlySpan<byte> data, string context)
{
    /// <summary>A sanity bound, not in the spec: 16384-bit RSA is the largest key anyone makes.</summary>
    public const int MaxMpiBits = 16384;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly string Context => context;

    public readonly int Position => _position;

    public readonly bool IsAtEnd => _position == _data.Length;

    public byte ReadByte(string field) => ReadBytes(1, field)[0];

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(ReadBytes(2, field));

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(ReadBytes(4, field));

    public ReadOnlySpan<byte> ReadBytes(int count, string field)
    {
        if (count < 0 || count > _data.Length - _position)
        {
            throw new OpenPgpFormatException($"{context}: {field} ({count} bytes) runs past the end of the packet");
        }
        var bytes = _data.Slice(_position, count);
        _position += count;
        return bytes;
    }

    public ReadOnlySpan<byte> ReadRest() => ReadBytes(_data.Length - _position, "the rest");

    /// <summary>A multiprecision integer (section 3.2): a two-octet bit count, then the big-endian magnitude.</summary>
    public ReadOnlySpan<byte> ReadMpi(string field)
    {
        var bits = ReadUInt16(field + " bit count");
        if (bits > MaxMpiBits)
        {
            throw new OpenPgpFormatException($"{context}: {field} of {bits} bits is over the {MaxMpiBits}-bit limit");
        }
        return ReadBytes((bits + 7) / 8, field);
    }

    public readonly void EnsureEnd()
    {
        if (!IsAtEnd)
        {
            throw new OpenPgpFormatException($"{context}: {_data.Length - _position} unexpected trailing bytes");
        }
    }
}
