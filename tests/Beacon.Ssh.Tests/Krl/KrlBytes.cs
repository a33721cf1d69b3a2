using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>
/// Writes KRLs by hand, field by field, so tests can make the malformed ones no builder would; and walks
/// well-formed ones to list their sections.
/// </summary>
public static class KrlBytes
{
    public const ulong Magic = 0x5353484b524c0a00UL;

    public static SshWriter Header(ulong magic = Magic, uint formatVersion = 1, string comment = "")
    {
        var writer = new SshWriter();
        writer.WriteUInt64(magic).WriteUInt32(formatVersion).WriteUInt64(1).WriteUInt64(1_700_000_000).WriteUInt64(0)
            .WriteString(ReadOnlySpan<byte>.Empty)
            .WriteString(comment);
        return writer;
    }

    /// <summary>A whole KRL: a header and the given top-level sections.</summary>
    public static byte[] Krl(params byte[][] sections)
    {
        var writer = Header();
        foreach (var section in sections)
        {
            writer.WriteRaw(section);
        }
        return writer.ToArray();
    }

    public static byte[] Section(byte type, byte[] body) => new SshWriter().WriteByte(type).WriteString(body).ToArray();

    /// <summary>A certificates section: CA key blob (empty: any CA), reserved, then subsections.</summary>
    public static byte[] Certificates(byte[] caBlob, params byte[][] subsections)
    {
        var body = new SshWriter().WriteString(caBlob).WriteString(ReadOnlySpan<byte>.Empty);
        foreach (var subsection in subsections)
        {
            body.WriteRaw(subsection);
        }
        return Section(1, body.ToArray());
    }

    public static byte[] SerialList(params ulong[] serials)
    {
        var body = new SshWriter();
        foreach (var serial in serials)
        {
            body.WriteUInt64(serial);
        }
        return Section(0x20, body.ToArray());
    }

    public static byte[] SerialRange(ulong first, ulong last) =>
        Section(0x21, new SshWriter().WriteUInt64(first).WriteUInt64(last).ToArray());

    /// <summary>A bitmap subsection with the mpint written raw, exactly as given (length-prefixed).</summary>
    public static byte[] SerialBitmap(ulong offset, byte[] mpintBody) =>
        Section(0x22, new SshWriter().WriteUInt64(offset).WriteString(mpintBody).ToArray());

    public static byte[] KeyIds(params string[] ids)
    {
        var body = new SshWriter();
        foreach (var id in ids)
        {
            body.WriteString(id);
        }
        return Section(0x23, body.ToArray());
    }

    public static byte[] Strings(byte type, params byte[][] items)
    {
        var body = new SshWriter();
        foreach (var item in items)
        {
            body.WriteString(item);
        }
        return Section(type, body.ToArray());
    }

    public static byte[] Extension(byte type, string name, bool critical) =>
        Section(type, new SshWriter().WriteString(name).WriteBoolean(critical).WriteString("contents"u8).ToArray());

    public static byte[] Signature(byte[] key, byte[] signature) =>
        new SshWriter().WriteByte(4).WriteString(key).WriteString(signature).ToArray();

    /// <summary>The offsets where a KRL's header and each top-level section end: the only prefixes that are whole KRLs.</summary>
    public static HashSet<int> SectionBoundaries(byte[] krl)
    {
        var reader = new SshReader(krl);
        reader.ReadUInt64("magic");
        reader.ReadUInt32("format version");
        reader.ReadUInt64("version");
        reader.ReadUInt64("date");
        reader.ReadUInt64("flags");
        reader.ReadStringSpan("reserved");
        reader.ReadStringSpan("comment");
        var boundaries = new HashSet<int> { reader.Position };
        while (!reader.AtEnd)
        {
            if (reader.ReadByte("type") == 4)
            {
                reader.ReadStringSpan("signature key");
            }
            reader.ReadStringSpan("section");
            boundaries.Add(reader.Position);
        }
        return boundaries;
    }

    /// <summary>The certificate subsection types of each certificates section, in order, e.g. [[0x20, 0x22, 0x21]].</summary>
    public static List<List<byte>> CertificateSubsectionTypes(byte[] krl)
    {
        var reader = new SshReader(krl);
        reader.ReadUInt64("magic");
        reader.ReadUInt32("format version");
        reader.ReadUInt64("version");
        reader.ReadUInt64("date");
        reader.ReadUInt64("flags");
        reader.ReadStringSpan("reserved");
        reader.ReadStringSpan("comment");
        var result = new List<List<byte>>();
        while (!reader.AtEnd)
        {
            var type = reader.ReadByte("type");
            var body = reader.ReadStringSpan("section");
            if (type != 1)
            {
                continue;
            }
            var section = new SshReader(body);
            section.ReadStringSpan("ca");
            section.ReadStringSpan("reserved");
            var types = new List<byte>();
            while (!section.AtEnd)
            {
                types.Add(section.ReadByte("subsection type"));
                section.ReadStringSpan("subsection");
            }
            result.Add(types);
        }
        return result;
    }
}
