using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Beacon.Ssh.Wire;

/// <summary>Writes the SSH wire encoding (RFC 4251 section 5) into a growing buffer.</summary>
public sealed class SshWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public SshWriter(int initialCapacity = 256)
    {
        _buffer = new ArrayBufferWriter<byte>(initialCapacity);
    }

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public SshWriter WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public SshWriter WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public SshWriter WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public SshWriter WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    /// <summary>Writes raw bytes with no length prefix.</summary>
    public SshWriter WriteRaw(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>Writes a length-prefixed byte string.</summary>
    public SshWriter WriteString(ReadOnlySpan<byte> bytes)
    {
        WriteUInt32((uint)bytes.Length);
        return WriteRaw(bytes);
    }

    public SshWriter WriteString(string text)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        WriteUInt32((uint)count);
        var span = _buffer.GetSpan(count);
        Encoding.UTF8.GetBytes(text, span);
        _buffer.Advance(count);
        return this;
    }

    /// <summary>Writes a string whose content is produced by another writer.</summary>
    public SshWriter WriteString(SshWriter nested) => WriteString(nested.WrittenSpan);

    /// <summary>Writes a non-negative mpint given as big-endian unsigned magnitude bytes.</summary>
    public SshWriter WriteMPIntUnsigned(ReadOnlySpan<byte> magnitude)
    {
        var start = 0;
        while (start < magnitude.Length && magnitude[start] == 0)
        {
            start++;
        }
        var trimmed = magnitude[start..];
        if (trimmed.Length == 0)
        {
            return WriteUInt32(0);
        }
        var pad = (trimmed[0] & 0x80) != 0;
        WriteUInt32((uint)(trimmed.Length + (pad ? 1 : 0)));
        if (pad)
        {
            WriteByte(0);
        }
        return WriteRaw(trimmed);
    }
}
