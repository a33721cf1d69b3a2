using Beacon.Ssh.Keys;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Krl;

/// <summary>
/// Parses the binary KRL format (PROTOCOL.krl) into a <see cref="KeyRevocationList"/>. Every field is
/// bounded by the data actually present, and every rule of the spec is enforced, so any malformation is
/// one <see cref="SshFormatException"/>: never another exception, an allocation sized by a length field,
/// or work proportional to a serial range (a range of 1 to 2^64-1 is one range, never expanded).
/// </summary>
/// <remarks>
/// What OpenSSH refuses, we refuse: serial 0, inverted ranges, bitmaps over 2048 bytes or past 2^64,
/// unknown sections, trailing data, hashes of the wrong length, critical extensions. Where the spec says
/// "must" and OpenSSH does not check, we check: hashes in numeric order, at least one entry per key-ID,
/// key, hash and certificate section, raw keys (not certificates) as explicit keys, minimal mpints; and
/// key IDs and the comment must be UTF-8. Non-critical extensions are skipped, as the spec (and OpenSSH
/// 9.4 and later) allow. CA keys must be types this library reads (not DSA); explicit keys may be any type.
/// </remarks>
public static class KrlParser
{
    /// <summary>
    /// Sanity bound, not in the spec: the serial ranges a KRL may describe before merging. A 2 KB bitmap
    /// can describe 8192 ranges, so without a bound a few megabytes of bitmaps could cost gigabytes.
    /// </summary>
    public const int MaxSerialRanges = 4 * 1024 * 1024;

    /// <summary>Parses a KRL.</summary>
    /// <exception cref="SshFormatException">Not a KRL, or malformed in any way.</exception>
    public static KeyRevocationList Parse(ReadOnlySpan<byte> data)
    {
        var reader = new SshReader(data);
        if (reader.Remaining < 8 || reader.ReadUInt64("KRL magic") != KrlFormat.Magic)
        {
            throw new SshFormatException("KRL magic: not a KRL (expected \"SSHKRL\\n\\0\")");
        }
        var formatVersion = reader.ReadUInt32("KRL format version");
        if (formatVersion != KrlFormat.FormatVersion)
        {
            throw new SshFormatException($"KRL format version: {formatVersion} is not the known version {KrlFormat.FormatVersion}");
        }
        var version = reader.ReadUInt64("KRL version");
        var generatedDate = reader.ReadUInt64("KRL generated date");
        var flags = reader.ReadUInt64("KRL flags");
        reader.ReadStringSpan("KRL reserved"); // contents ignored, as the spec says
        var comment = reader.ReadUtf8("KRL comment");

        var state = new ParseState();
        var signatureSeen = false;
        while (!reader.AtEnd)
        {
            var type = reader.ReadByte("KRL section type");
            if (type == KrlFormat.SectionSignature)
            {
                // Its body is two strings, not one (PROTOCOL.krl section 6). Kept, never verified.
                var key = reader.ReadBytes("KRL signature key");
                var signature = reader.ReadBytes("KRL signature");
                state.Signatures.Add(new KrlSignature(key, signature));
                signatureSeen = true;
                continue;
            }
            // Signatures cover everything before them, so nothing unsigned may follow one.
            if (signatureSeen)
            {
                throw new SshFormatException($"KRL section {type}: follows a signature section, which must come last");
            }
            var body = reader.ReadStringSpan($"KRL section {type}");
            switch (type)
            {
                case KrlFormat.SectionCertificates:
                    ReadCertificateSection(body, state);
                    break;
                case KrlFormat.SectionExplicitKey:
                    ReadExplicitKeys(body, state);
                    break;
                case KrlFormat.SectionFingerprintSha1:
                    ReadHashes(body, KrlFormat.Sha1Length, "SHA1", state.Sha1);
                    break;
                case KrlFormat.SectionFingerprintSha256:
                    ReadHashes(body, KrlFormat.Sha256Length, "SHA256", state.Sha256);
                    break;
                case KrlFormat.SectionExtension:
                    var extension = new SshReader(body);
                    ReadExtension(ref extension, "KRL extension section");
                    extension.EnsureEnd("KRL extension section");
                    break;
                default:
                    // An unknown section could revoke something we would silently miss: refuse, as OpenSSH does.
                    throw new SshFormatException($"KRL section type: unknown {type}");
            }
        }

        return KeyRevocationList.Create(version, generatedDate, flags, comment,
            state.Sections.Select(s => s.ToSection()), state.ExplicitKeys, state.Sha1, state.Sha256, state.Signatures);
    }

    private static void ReadCertificateSection(ReadOnlySpan<byte> body, ParseState state)
    {
        var reader = new SshReader(body);
        var caBlob = reader.ReadStringSpan("KRL certificate section CA key");
        reader.ReadStringSpan("KRL certificate section reserved");
        SshPublicKey? ca = null;
        if (!caBlob.IsEmpty)
        {
            try
            {
                ca = SshPublicKeyParser.ParseBlob(caBlob);
            }
            catch (SshFormatException e)
            {
                throw new SshFormatException($"KRL certificate section CA key: {e.Message}", e);
            }
        }
        var accumulator = state.SectionFor(ca);
        if (reader.AtEnd)
        {
            throw new SshFormatException("KRL certificate section: no subsections (the spec requires one or more)");
        }
        while (!reader.AtEnd)
        {
            var type = reader.ReadByte("KRL certificate subsection type");
            var sub = new SshReader(reader.ReadStringSpan($"KRL certificate subsection 0x{type:x2}"));
            switch (type)
            {
                case KrlFormat.CertSerialList:
                    if (sub.Remaining % 8 != 0)
                    {
                        throw new SshFormatException($"KRL serial list: {sub.Remaining} bytes is not a whole number of serials");
                    }
                    while (!sub.AtEnd)
                    {
                        var serial = sub.ReadUInt64("KRL serial list entry");
                        state.AddSerials(accumulator, CheckSerial(serial, "KRL serial list"), serial);
                    }
                    break;
                case KrlFormat.CertSerialRange:
                    var first = sub.ReadUInt64("KRL serial range minimum");
                    var last = sub.ReadUInt64("KRL serial range maximum");
                    sub.EnsureEnd("KRL serial range");
                    // OpenSSH refuses the whole KRL for an inverted range, so do we.
                    if (first > last)
                    {
                        throw new SshFormatException($"KRL serial range: minimum {first} is above maximum {last}");
                    }
                    state.AddSerials(accumulator, CheckSerial(first, "KRL serial range"), last);
                    break;
                case KrlFormat.CertSerialBitmap:
                    ReadBitmap(ref sub, accumulator, state);
                    break;
                case KrlFormat.CertKeyId:
                    if (sub.AtEnd)
                    {
                        throw new SshFormatException("KRL key ID subsection: empty (the spec requires at least one key ID)");
                    }
                    while (!sub.AtEnd)
                    {
                        accumulator.KeyIds.Add(sub.ReadUtf8("KRL revoked key ID"));
                    }
                    break;
                case KrlFormat.CertExtension:
                    ReadExtension(ref sub, "KRL certificate extension subsection");
                    break;
                default:
                    throw new SshFormatException($"KRL certificate subsection type: unknown 0x{type:x2}");
            }
            sub.EnsureEnd($"KRL certificate subsection 0x{type:x2}");
        }
    }

    private static void ReadBitmap(ref SshReader sub, CaAccumulator accumulator, ParseState state)
    {
        var offset = sub.ReadUInt64("KRL serial bitmap offset");
        var bits = sub.ReadMPIntUnsigned("KRL serial bitmap");
        sub.EnsureEnd("KRL serial bitmap");
        // OpenSSH refuses larger bitmaps (SSHBUF_MAX_BIGNUM); so a 4 GB length cannot make us walk 2^35 bits.
        if (bits.Length > KrlFormat.MaxBitmapBytes)
        {
            throw new SshFormatException($"KRL serial bitmap: {bits.Length} bytes is above the limit of {KrlFormat.MaxBitmapBytes}");
        }
        if (bits.IsEmpty)
        {
            return;
        }
        var highest = (ulong)(bits.Length - 1) * 8 + (ulong)(7 - byte.LeadingZeroCount(bits[0]));
        // A bit past 2^64 - 1 would wrap to a small serial that the KRL's author never meant.
        if (highest > ulong.MaxValue - offset)
        {
            throw new SshFormatException($"KRL serial bitmap: offset {offset} plus bit {highest} wraps past 2^64");
        }
        ulong runStart = 0, runEnd = 0;
        var inRun = false;
        for (var byteIndex = bits.Length - 1; byteIndex >= 0; byteIndex--)
        {
            var value = bits[byteIndex];
            if (value == 0 && !inRun)
            {
                continue;
            }
            var baseBit = (ulong)(bits.Length - 1 - byteIndex) * 8;
            for (var bit = 0; bit < 8; bit++)
            {
                var serial = offset + baseBit + (ulong)bit;
                if ((value & (1 << bit)) != 0)
                {
                    if (!inRun)
                    {
                        runStart = CheckSerial(serial, "KRL serial bitmap");
                        inRun = true;
                    }
                    runEnd = serial;
                }
                else if (inRun)
                {
                    state.AddSerials(accumulator, runStart, runEnd);
                    inRun = false;
                }
            }
        }
        if (inRun)
        {
            state.AddSerials(accumulator, runStart, runEnd);
        }
    }

    private static ulong CheckSerial(ulong serial, string field) =>
        // Serial 0 means "no serial"; OpenSSH refuses a KRL that revokes it, and so do we.
        serial == 0 ? throw new SshFormatException($"{field}: serial 0 cannot be revoked") : serial;

    private static void ReadExplicitKeys(ReadOnlySpan<byte> body, ParseState state)
    {
        var reader = new SshReader(body);
        if (reader.AtEnd)
        {
            throw new SshFormatException("KRL explicit key section: empty (the spec requires at least one key)");
        }
        while (!reader.AtEnd)
        {
            var blob = reader.ReadStringSpan("KRL revoked key");
            var blobReader = new SshReader(blob);
            var type = blobReader.ReadUtf8("KRL revoked key type");
            // The spec requires a raw key: a certificate blob here could never match and hides a mistake.
            if (type.Length == 0 || SshKeyTypes.IsCertificateType(type))
            {
                throw new SshFormatException($"KRL revoked key: \"{SshPublicKeyParser.Quote(type)}\" is not a plain key type");
            }
            state.ExplicitKeys.Add(blob.ToArray());
        }
    }

    private static void ReadHashes(ReadOnlySpan<byte> body, int length, string name, List<byte[]> target)
    {
        var reader = new SshReader(body);
        if (reader.AtEnd)
        {
            throw new SshFormatException($"KRL {name} section: empty (the spec requires at least one hash)");
        }
        ReadOnlySpan<byte> previous = default;
        while (!reader.AtEnd)
        {
            var hash = reader.ReadStringSpan($"KRL {name} hash");
            if (hash.Length != length)
            {
                throw new SshFormatException($"KRL {name} hash: {hash.Length} bytes, expected {length}");
            }
            // The spec requires numeric order within a section; out of order means a broken or forged writer.
            if (!previous.IsEmpty && previous.SequenceCompareTo(hash) >= 0)
            {
                throw new SshFormatException($"KRL {name} hash: {Convert.ToHexString(hash)} is out of order or repeated");
            }
            previous = hash;
            target.Add(hash.ToArray());
        }
    }

    /// <summary>Reads an extension (PROTOCOL.krl sections 2.5 and 5); a non-critical one is ignored, as the spec allows.</summary>
    private static void ReadExtension(ref SshReader reader, string kind)
    {
        var name = reader.ReadUtf8($"{kind} name");
        var critical = reader.ReadBoolean($"{kind} critical flag");
        reader.ReadStringSpan($"{kind} contents");
        // A critical extension changes what is revoked; ignoring it would let a revoked key through.
        if (critical)
        {
            throw new SshFormatException($"{kind}: unsupported critical extension \"{SshPublicKeyParser.Quote(name)}\"");
        }
    }

    private sealed class ParseState
    {
        private readonly Dictionary<byte[], CaAccumulator> _byCa = new(KrlOrdering.Instance);
        private CaAccumulator? _anyCa;
        private int _serialRanges;

        public List<CaAccumulator> Sections { get; } = [];

        public List<byte[]> ExplicitKeys { get; } = [];

        public List<byte[]> Sha1 { get; } = [];

        public List<byte[]> Sha256 { get; } = [];

        public List<KrlSignature> Signatures { get; } = [];

        /// <summary>The accumulator for a CA; sections for the same CA merge, as OpenSSH merges them.</summary>
        public CaAccumulator SectionFor(SshPublicKey? ca)
        {
            if (ca is null)
            {
                return _anyCa ??= Add(null);
            }
            var blob = ca.Blob.ToArray();
            if (!_byCa.TryGetValue(blob, out var accumulator))
            {
                accumulator = Add(ca);
                _byCa[blob] = accumulator;
            }
            return accumulator;
        }

        public void AddSerials(CaAccumulator accumulator, ulong first, ulong last)
        {
            if (++_serialRanges > MaxSerialRanges)
            {
                throw new SshFormatException($"KRL serials: more than {MaxSerialRanges} ranges");
            }
            accumulator.Serials.Add(first, last);
        }

        private CaAccumulator Add(SshPublicKey? ca)
        {
            var accumulator = new CaAccumulator(ca);
            Sections.Add(accumulator);
            return accumulator;
        }
    }

    private sealed class CaAccumulator(SshPublicKey? ca)
    {
        public KrlSerialSetBuilder Serials { get; } = new();

        public List<string> KeyIds { get; } = [];

        public KrlCertificateSection ToSection() =>
            new(ca, Serials.ToSet(), KrlOrdering.SortDistinct(KeyIds));
    }
}
