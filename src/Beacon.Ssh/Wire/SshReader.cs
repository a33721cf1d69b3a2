using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Beacon.Ssh.Wire;

/// <summary>
/// Reads the SSH wire encoding (RFC 4251 section 5) from a span. Every read checks the bounds first,
/// so a length field larger than the data left is a <see cref="SshFormatException"/>, never an
/// allocation of the attacker's size.
/// </summary>
public ref struct SshReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public SshReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public readonly bool AtEnd => _position == _data.Length;

    public readonly ReadOnlySpan<byte> Rest => _data[_position..];

    public byte ReadByte(string field)
    {
        Need(1, field);
        return _data[_position++];
    }

    public bool ReadBoolean(string field) => ReadByte(field) != 0;

    public uint ReadUInt32(string field)
    {
        Need(4, field);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_data[_position..]);
        _position += 4;
        return value;
    }

    public ulong ReadUInt64(string field)
    {
        Need(8, field);
        var value = BinaryPrimitives.ReadUInt64BigEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    /// <summary>Reads a length-prefixed byte string, returning a view into the input.</summary>
    public ReadOnlySpan<byte> ReadStringSpan(string field)
    {
        var length = ReadUInt32(field);
        if (length > (uint)Remaining)
        {
            throw new SshFormatException($"{field}: length {length} is beyond the {Remaining} bytes left");
        }
        var value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    public byte[] ReadBytes(string field) => ReadStringSpan(field).ToArray();

    /// <summary>Reads a string that must be UTF-8 text without NUL bytes.</summary>
    public string ReadUtf8(string field)
    {
        var bytes = ReadStringSpan(field);
        if (bytes.Contains((byte)0))
        {
            throw new SshFormatException($"{field}: contains a NUL byte");
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new SshFormatException($"{field}: not valid UTF-8");
        }
    }

    /// <summary>
    /// Reads an mpint (RFC 4251 section 5): two's complement, big-endian, minimal. Only non-negative
    /// values are accepted, as every mpint in keys and signatures is.
    /// </summary>
    public ReadOnlySpan<byte> ReadMPIntUnsigned(string field)
    {
        var bytes = ReadStringSpan(field);
        if (bytes.Length == 0)
        {
            return bytes;
        }
        if ((bytes[0] & 0x80) != 0)
        {
            throw new SshFormatException($"{field}: negative mpint");
        }
        if (bytes[0] == 0)
        {
            // A leading zero is only allowed to keep the sign bit clear.
            if (bytes.Length == 1 || (bytes[1] & 0x80) == 0)
            {
                throw new SshFormatException($"{field}: mpint is not minimally encoded");
            }
            return bytes[1..];
        }
        return bytes;
    }

    public BigInteger ReadBigInteger(string field) =>
        new(ReadMPIntUnsigned(field), isUnsigned: true, isBigEndian: true);

    /// <summary>Moves past bytes the caller has already matched against known content.</summary>
    internal void Skip(int count, string field)
    {
        Need(count, field);
        _position += count;
    }

    public readonly void EnsureEnd(string structure)
    {
        if (!AtEnd)
        {
            throw new SshFormatException($"{structure}: {Remaining} trailing bytes");
        }
    }

    private readonly void Need(int count, string field)
    {
        if (Remaining < count)
        {
            throw new SshFormatException($"{field}: truncated (needs {count} bytes, {Remaining} left)");
        }
    }

    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
