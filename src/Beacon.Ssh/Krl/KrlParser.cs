using Beacon.Ssh.Keys;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Krl;

/// <summary>
/// Reads a KRL in OpenSSH's binary format (PROTOCOL.krl). Every field is bounded: a range is kept as a
/// range and a bitmap is read run by run, so no length or range an attacker writes drives an
/// allocation or a loop beyond the size of the input.
/// </summary>
public static class KrlParser
{
    /// <summary>Sanity bound, not in the spec: the largest KRL we read (a million scattered serials is 8 MiB).</summary>
    public const int MaxLength = 64 * 1024 * 1024;

    /// <exception cref="SshFormatException">Malformed, of an unknown version, or with an unknown critical section.</exception>
    public static KeyRevocationList Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxLength)
        {
            throw new SshFormatException($"KRL: {data.Length} bytes is more than {MaxLength}");
        }
        var reader = new SshReader(data);
        if (reader.ReadUInt64("KRL magic") != KrlSections.Magic)
        {
            throw new SshFormatException("KRL magic: not an OpenSSH KRL");
        }
        var format = reader.ReadUInt32("KRL format version");
        if (format != KrlSections.FormatVersion)
        {
            throw new SshFormatException($"KRL format version: {format} is not 1");
        }
        var version = reader.ReadUInt64("KRL version");
        var generated = reader.ReadUInt64("KRL generated date");
        reader.ReadUInt64("KRL flags");
        reader.ReadStringSpan("KRL reserved");
        var comment = reader.ReadUtf8("KRL comment");

        var certificates = new List<KrlCertificateSection>();
        var explicitKeys = new List<byte[]>();
        var sha1 = new List<byte[]>();
        var sha256 = new List<byte[]>();
        var signed = false;
        while (!reader.AtEnd)
        {
            var type = reader.ReadByte("KRL section type");
            var section = reader.ReadStringSpan("KRL section");
            if (signed && type != KrlSections.Signature)
            {
                // krl.c: signatures cover everything before them, so nothing may follow one.
                throw new SshFormatException("KRL: a section follows the signature");
            }
            switch (type)
            {
                case KrlSections.Certificates:
                    certificates.Add(ParseCertificateSection(section));
                    break;
                case KrlSections.ExplicitKey:
                    ReadBlobs(section, "KRL explicit key", explicitKeys);
                    break;
                case KrlSections.FingerprintSha1:
                    ReadBlobs(section, "KRL SHA1 fingerprint", sha1, exactLength: 20);
                    break;
                case KrlSections.FingerprintSha256:
                    ReadBlobs(section, "KRL SHA256 fingerprint", sha256, exactLength: 32);
                    break;
                case KrlSections.Signature:
                    // Read past (OpenSSH 9.4+ refuses embedded signatures; ours are detached): string key, string signature.
                    var signature = new SshReader(section);
                    signature.ReadStringSpan("KRL signature key");
                    signature.ReadStringSpan("KRL signature");
                    signature.EnsureEnd("KRL signature section");
                    signed = true;
                    break;
                case KrlSections.Extension:
                    ReadExtension(section, "KRL extension");
                    break;
                default:
                    throw new SshFormatException($"KRL section type: unknown {type}");
            }
        }
        return new KeyRevocationList(version, generated, comment, certificates, explicitKeys, sha1, sha256);
    }

    private static KrlCertificateSection ParseCertificateSection(ReadOnlySpan<byte> data)
    {
        var reader = new SshReader(data);
        var caBlob = reader.ReadStringSpan("KRL CA key");
        // An empty CA key means the section applies to certificates of every CA.
        SshPublicKey? ca = caBlob.IsEmpty ? null : SshPublicKeyParser.ParseBlob(caBlob);
        reader.ReadStringSpan("KRL certificate section reserved");
        var serials = new List<SerialRange>();
        var keyIds = new List<string>();
        while (!reader.AtEnd)
        {
            var type = reader.ReadByte("KRL certificate subsection type");
            var sub = new SshReader(reader.ReadStringSpan("KRL certificate subsection"));
            switch (type)
            {
                case KrlSections.CertSerialList:
                    if (sub.Remaining % 8 != 0)
                    {
                        throw new SshFormatException("KRL serial list: length is not a multiple of 8");
                    }
                    while (!sub.AtEnd)
                    {
                        var serial = sub.ReadUInt64("KRL serial");
                        serials.Add(new SerialRange(serial, serial));
                    }
                    break;
                case KrlSections.CertSerialRange:
                    var lo = sub.ReadUInt64("KRL serial range low");
                    var hi = sub.ReadUInt64("KRL serial range high");
                    sub.EnsureEnd("KRL serial range");
                    if (lo > hi)
                    {
                        throw new SshFormatException($"KRL serial range: low {lo} is above high {hi}");
                    }
                    serials.Add(new SerialRange(lo, hi));
                    break;
                case KrlSections.CertSerialBitmap:
                    var offset = sub.ReadUInt64("KRL bitmap offset");
                    var bits = sub.ReadMPIntUnsigned("KRL bitmap");
                    sub.EnsureEnd("KRL bitmap");
                    AddBitmapRuns(serials, offset, bits);
                    break;
                case KrlSections.CertKeyId:
                    while (!sub.AtEnd)
                    {
                        keyIds.Add(sub.ReadUtf8("KRL key id"));
                    }
                    break;
                case KrlSections.CertExtension:
                    ReadExtension(sub.Rest, "KRL certificate extension");
                    break;
                default:
                    throw new SshFormatException($"KRL certificate subsection type: unknown 0x{type:x2}");
            }
        }
        // krl.c refuses serial 0 in every serial section (it is what a CA writes when it names none).
        if (serials.Any(r => r.Lo == 0))
        {
            throw new SshFormatException("KRL serials: serial 0 cannot be revoked");
        }
        return new KrlCertificateSection(ca, serials, keyIds);
    }

    /// <summary>Turns a big-endian bitmap into runs of set bits; the work is bounded by the bitmap's length.</summary>
    private static void AddBitmapRuns(List<SerialRange> serials, ulong offset, ReadOnlySpan<byte> bigEndian)
    {
        var totalBits = (ulong)bigEndian.Length * 8;
        if (totalBits > 0 && offset > ulong.MaxValue - (totalBits - 1))
        {
            throw new SshFormatException("KRL bitmap: serials beyond 2^64");
        }
        ulong? runStart = null;
        for (ulong bit = 0; bit < totalBits; bit++)
        {
            var value = bigEndian[bigEndian.Length - 1 - (int)(bit / 8)];
            var set = (value >> (int)(bit % 8) & 1) != 0;
            if (set && runStart is null)
            {
                runStart = bit;
            }
            else if (!set && runStart is { } start)
            {
                serials.Add(new SerialRange(offset + start, offset + bit - 1));
                runStart = null;
            }
        }
        if (runStart is { } last)
        {
            serials.Add(new SerialRange(offset + last, offset + totalBits - 1));
        }
    }

    /// <summary>Explicit keys stay raw blobs: a key type we do not parse (DSA) may still be listed and matched.</summary>
    private static void ReadBlobs(ReadOnlySpan<byte> data, string field, List<byte[]> into, int exactLength = -1)
    {
        var reader = new SshReader(data);
        while (!reader.AtEnd)
        {
            var blob = reader.ReadBytes(field);
            if (exactLength >= 0 && blob.Length != exactLength)
            {
                throw new SshFormatException($"{field}: {blob.Length} bytes, expected {exactLength}");
            }
            into.Add(blob);
        }
    }

    /// <summary>Extensions: string name, bool critical, string data; an unknown critical one is refused.</summary>
    private static void ReadExtension(ReadOnlySpan<byte> data, string field)
    {
        var reader = new SshReader(data);
        var name = reader.ReadUtf8($"{field} name");
        var critical = reader.ReadBoolean($"{field} critical");
        reader.ReadStringSpan($"{field} data");
        reader.EnsureEnd(field);
        if (critical)
        {
            throw new SshFormatException($"{field}: unsupported critical extension \"{SshPublicKeyParser.Quote(name)}\"");
        }
    }
}
