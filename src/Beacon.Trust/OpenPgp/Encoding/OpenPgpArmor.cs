using System.Text;

namespace Beacon.Trust.OpenPgp.Encoding;

/// <summary>
/// ASCII armor (RFC 9580 section 6.2): "-----BEGIN PGP {type}-----", optional "Key: value" headers, a blank
/// line, base64, an optional "=" CRC-24 line, "-----END PGP {type}-----". Text before BEGIN and after END is
/// ignored, as gpg does; the headers are read past and otherwise ignored.
/// </summary>
internal static class OpenPgpArmor
{
    public const string PublicKeyBlock = "PUBLIC KEY BLOCK";
    public const string Signature = "SIGNATURE";

    /// <summary>A sanity bound, not in the spec: far above a key block or a signature, far below a memory problem.</summary>
    public const int MaxInputBytes = 1024 * 1024;

    private const int LineLength = 64;

    /// <summary>
    /// The binary packets of an armored block of <paramref name="expectedType"/>, or the input itself when it
    /// is already binary (its first octet has the packet-tag bit set).
    /// </summary>
    /// <exception cref="OpenPgpFormatException">Too large, not armor of that type, bad base64 or checksum, truncated.</exception>
    public static byte[] DecodeOrBinary(ReadOnlySpan<byte> input, string expectedType)
    {
        if (input.Length > MaxInputBytes)
        {
            throw new OpenPgpFormatException($"OpenPGP input of {input.Length} bytes is over the {MaxInputBytes}-byte limit");
        }
        if (input.IsEmpty)
        {
            throw new OpenPgpFormatException("OpenPGP input is empty");
        }
        var text = input.StartsWith("\uFEFF"u8) ? input[3..] : input;
        if (text.Length == input.Length && (input[0] & 0x80) != 0)
        {
            return input.ToArray();
        }
        return Decode(System.Text.Encoding.UTF8.GetString(text), expectedType);
    }

    public static byte[] Decode(string text, string expectedType)
    {
        var begin = $"-----BEGIN PGP {expectedType}-----";
        var end = $"-----END PGP {expectedType}-----";
        var lines = text.Split('\n').Select(line => line.TrimEnd('\r', ' ', '\t')).ToList();
        var start = lines.FindIndex(line => line.StartsWith("-----BEGIN PGP ", StringComparison.Ordinal));
        if (start < 0)
        {
            throw new OpenPgpFormatException($"not OpenPGP data: no \"{begin}\" line and not binary packets");
        }
        if (lines[start] != begin)
        {
            throw new OpenPgpFormatException($"armor is \"{Quote(lines[start])}\", expected \"{begin}\"");
        }

        var index = start + 1;
        // Headers: "Key: value" lines up to a blank line. Base64 never contains ':', so a producer that
        // omits the blank line when there are no headers is still read correctly.
        while (index < lines.Count && lines[index].Contains(':', StringComparison.Ordinal))
        {
            index++;
        }
        if (index < lines.Count && lines[index].Length == 0)
        {
            index++;
        }

        var base64 = new StringBuilder();
        string? checksum = null;
        var ended = false;
        for (; index < lines.Count; index++)
        {
            var line = lines[index];
            if (line.StartsWith("-----", StringComparison.Ordinal))
            {
                if (line != end)
                {
                    throw new OpenPgpFormatException($"armor ends with \"{Quote(line)}\", expected \"{end}\"");
                }
                ended = true;
                break;
            }
            if (checksum is not null)
            {
                throw new OpenPgpFormatException("armor has data after its checksum line");
            }
            if (line.StartsWith('=') && line.Length == 5)
            {
                checksum = line[1..];
                continue;
            }
            base64.Append(line);
        }
        if (!ended)
        {
            throw new OpenPgpFormatException($"armor is truncated: no \"{end}\" line");
        }

        var data = FromBase64(base64.ToString(), "armor body");
        if (data.Length == 0)
        {
            throw new OpenPgpFormatException("armor holds no data");
        }
        if (checksum is not null)
        {
            var expected = FromBase64(checksum, "armor checksum");
            var actual = Crc24.Compute(data);
            if (expected.Length != 3 || expected[0] != (byte)(actual >> 16) || expected[1] != (byte)(actual >> 8) || expected[2] != (byte)actual)
            {
                throw new OpenPgpFormatException("armor checksum (CRC-24) does not match its data");
            }
        }
        return data;
    }

    /// <summary>Armor with a CRC-24 line and no headers, as gpg writes it.</summary>
    public static string Encode(ReadOnlySpan<byte> data, string type)
    {
        var text = new StringBuilder();
        text.Append("-----BEGIN PGP ").Append(type).Append("-----\n\n");
        var base64 = Convert.ToBase64String(data);
        for (var offset = 0; offset < base64.Length; offset += LineLength)
        {
            text.Append(base64, offset, Math.Min(LineLength, base64.Length - offset)).Append('\n');
        }
        var crc = Crc24.Compute(data);
        text.Append('=').Append(Convert.ToBase64String([(byte)(crc >> 16), (byte)(crc >> 8), (byte)crc])).Append('\n');
        text.Append("-----END PGP ").Append(type).Append("-----\n");
        return text.ToString();
    }

    private static byte[] FromBase64(string base64, string field)
    {
        var buffer = new byte[base64.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(base64, buffer, out var written))
        {
            throw new OpenPgpFormatException($"{field} is not valid base64");
        }
        return buffer[..written];
    }

    private static string Quote(string line) => line.Length <= 60 ? line : line[..60] + "…";
}
