namespace Beacon.Trust.OpenPgp.Signatures;

/// <summary>One signature subpacket (RFC 9580 section 5.2.3.7): its type, the critical bit, its data.</summary>
internal sealed record Subpacket(byte Type, bool Critical, byte[] Data)
{
    public const byte CreationTime = 2;
    public const byte ExpirationTime = 3;
    public const byte KeyExpirationTime = 9;
    public const byte Issuer = 16;
    public const byte NotationData = 20;
    public const byte KeyFlags = 27;
    public const byte EmbeddedSignature = 32;
    public const byte IssuerFingerprint = 33;

    public const byte KeyFlagCertify = 0x01;
    public const byte KeyFlagSign = 0x02;

    /// <summary>
    /// Types whose meaning this code knows or may safely ignore even when critical: a critical subpacket of
    /// any other type (or a critical notation) makes the signature invalid, as the spec requires.
    /// </summary>
    private static readonly HashSet<byte> Understood =
        [2, 3, 4, 5, 7, 9, 11, 12, 16, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 39];

    public bool IsUnderstood => Understood.Contains(Type);

    /// <summary>A sanity bound, not in the spec: gpg writes about ten.</summary>
    public const int MaxPerArea = 256;

    /// <exception cref="OpenPgpFormatException">A length past the end of the area, or too many subpackets.</exception>
    public static List<Subpacket> ParseArea(ReadOnlySpan<byte> area, string context)
    {
        var subpackets = new List<Subpacket>();
        var position = 0;
        while (position < area.Length)
        {
            if (subpackets.Count == MaxPerArea)
            {
                throw new OpenPgpFormatException($"{context}: more than {MaxPerArea} subpackets");
            }
            long length = area[position++];
            if (length >= 192 && length < 255)
            {
                if (position >= area.Length)
                {
                    throw new OpenPgpFormatException($"{context}: subpacket length is truncated");
                }
                length = ((length - 192) << 8) + area[position++] + 192;
            }
            else if (length == 255)
            {
                if (area.Length - position < 4)
                {
                    throw new OpenPgpFormatException($"{context}: subpacket length is truncated");
                }
                length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(area[position..]);
                position += 4;
            }
            if (length == 0 || length > area.Length - position)
            {
                throw new OpenPgpFormatException($"{context}: subpacket length {length} does not fit the {area.Length - position} bytes left");
            }
            var type = area[position];
            subpackets.Add(new Subpacket((byte)(type & 0x7F), (type & 0x80) != 0, area.Slice(position + 1, (int)length - 1).ToArray()));
            position += (int)length;
        }
        return subpackets;
    }

    public void WriteTo(Stream output)
    {
        var length = Data.Length + 1;
        if (length < 192)
        {
            output.WriteByte((byte)length);
        }
        else
        {
            // Only short subpackets are written here; two-octet lengths cover up to 8383.
            var value = length - 192;
            output.WriteByte((byte)((value >> 8) + 192));
            output.WriteByte((byte)value);
        }
        output.WriteByte((byte)(Type | (Critical ? 0x80 : 0)));
        output.Write(Data);
    }
}
