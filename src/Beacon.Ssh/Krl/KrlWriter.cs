using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Krl;

/// <summary>
/// Encodes a KRL in OpenSSH's binary format. Revoked serials are written in whichever mix of list,
/// range and bitmap sections costs the fewest bytes (PROTOCOL.krl sections 2.1 to 2.3): scattered
/// serials as a list, long runs as ranges, dense clusters as bitmaps. No signature section is written:
/// OpenSSH 9.4 and later refuse KRLs that carry one, so KRLs are signed detached.
/// </summary>
public static class KrlWriter
{
    /// <summary>Sanity bound, not in the spec: the widest bitmap section we write before starting another.</summary>
    private const ulong MaxBitmapBits = 1UL << 26;

    public static byte[] Write(KeyRevocationList krl)
    {
        var writer = new SshWriter(1024);
        writer.WriteUInt64(KrlSections.Magic)
            .WriteUInt32(KrlSections.FormatVersion)
            .WriteUInt64(krl.Version)
            .WriteUInt64(krl.GeneratedDate)
            .WriteUInt64(0) // flags: none defined
            .WriteString(ReadOnlySpan<byte>.Empty) // reserved
            .WriteString(krl.Comment);

        foreach (var section in krl.CertificateSections)
        {
            var data = new SshWriter();
            data.WriteString(section.CaKey is null ? ReadOnlySpan<byte>.Empty : section.CaKey.Blob);
            data.WriteString(ReadOnlySpan<byte>.Empty); // reserved
            WriteSerials(data, section.SerialArray);
            if (section.KeyIds.Count > 0)
            {
                var ids = new SshWriter();
                foreach (var id in section.KeyIds)
                {
                    ids.WriteString(id);
                }
                data.WriteByte(KrlSections.CertKeyId).WriteString(ids);
            }
            writer.WriteByte(KrlSections.Certificates).WriteString(data);
        }
        WriteBlobSection(writer, KrlSections.ExplicitKey, krl.ExplicitKeys);
        WriteBlobSection(writer, KrlSections.FingerprintSha1, krl.Sha1Fingerprints);
        WriteBlobSection(writer, KrlSections.FingerprintSha256, krl.Sha256Fingerprints);
        return writer.ToArray();
    }

    private static void WriteBlobSection(SshWriter writer, byte type, IReadOnlyList<byte[]> blobs)
    {
        if (blobs.Count == 0)
        {
            return;
        }
        var data = new SshWriter();
        foreach (var blob in blobs)
        {
            data.WriteString(blob);
        }
        writer.WriteByte(type).WriteString(data);
    }

    private enum Encoding
    {
        None,
        List,
        Range,
        Bitmap,
    }

    /// <summary>Walks the sorted, merged ranges choosing the cheapest encoding for each, as krl.c's cost model does.</summary>
    private static void WriteSerials(SshWriter section, SerialRange[] ranges)
    {
        var state = Encoding.None;
        var list = new SshWriter();
        BitmapBuilder? bitmap = null;

        void Flush()
        {
            if (state == Encoding.List && list.Length > 0)
            {
                section.WriteByte(KrlSections.CertSerialList).WriteString(list);
                list = new SshWriter();
            }
            else if (state == Encoding.Bitmap && bitmap is not null)
            {
                var data = new SshWriter();
                data.WriteUInt64(bitmap.Offset).WriteMPIntUnsigned(bitmap.ToBigEndian());
                section.WriteByte(KrlSections.CertSerialBitmap).WriteString(data);
                bitmap = null;
            }
        }

        for (var i = 0; i < ranges.Length; i++)
        {
            var range = ranges[i];
            var contig = Clamp(range.Hi - range.Lo + 1);
            var lastGap = i == 0 ? 0 : Clamp(range.Lo - ranges[i - 1].Hi - 1);
            var final = i == ranges.Length - 1;
            var nextGap = final ? 0 : Clamp(ranges[i + 1].Lo - range.Hi - 1);
            var (next, restart) = Choose(state, contig, final, lastGap, nextGap);
            if (next == Encoding.Bitmap && bitmap is not null && range.Hi - bitmap.Offset >= MaxBitmapBits)
            {
                restart = true;
            }
            if (next != state || restart)
            {
                Flush();
            }
            state = next;
            switch (next)
            {
                case Encoding.List:
                    for (var serial = range.Lo; ; serial++)
                    {
                        list.WriteUInt64(serial);
                        if (serial == range.Hi)
                        {
                            break;
                        }
                    }
                    break;
                case Encoding.Range:
                    var data = new SshWriter(16);
                    data.WriteUInt64(range.Lo).WriteUInt64(range.Hi);
                    section.WriteByte(KrlSections.CertSerialRange).WriteString(data);
                    break;
                case Encoding.Bitmap:
                    bitmap ??= new BitmapBuilder(range.Lo);
                    bitmap.Set(range.Lo, range.Hi);
                    break;
            }
        }
        Flush();
    }

    private static ulong Clamp(ulong value) => Math.Min(value, 1UL << 31);

    /// <summary>The estimated size in bits of each way to write the next run, including the cost of switching encodings.</summary>
    private static (Encoding Next, bool Restart) Choose(Encoding current, ulong contig, bool final, ulong lastGap, ulong nextGap)
    {
        const ulong sectionHeader = 8 + 64; // a type byte and a length, roughly
        ulong list = 0, bitmap = 0, bitmapRestart = 0, range = 8;
        switch (current)
        {
            case Encoding.List:
                bitmap = bitmapRestart = sectionHeader;
                break;
            case Encoding.Bitmap:
                list = 8;
                bitmapRestart = sectionHeader;
                break;
            default:
                bitmap = bitmapRestart = sectionHeader;
                list = 8;
                break;
        }
        var tail = final ? 0 : sectionHeader;
        list += 64 * contig + tail;
        range += 2 * 64 + tail;
        bitmap += lastGap + contig + (final ? 0 : Math.Min(nextGap, sectionHeader));
        bitmapRestart += contig + (final ? 0 : Math.Min(nextGap, sectionHeader));

        static ulong Bytes(ulong bits) => (bits + 7) / 8;
        var best = (Encoding: Encoding.Bitmap, Cost: Bytes(bitmap), Restart: false);
        if (Bytes(range) < best.Cost)
        {
            best = (Encoding.Range, Bytes(range), false);
        }
        if (Bytes(list) < best.Cost)
        {
            best = (Encoding.List, Bytes(list), false);
        }
        if (Bytes(bitmapRestart) < best.Cost)
        {
            best = (Encoding.Bitmap, Bytes(bitmapRestart), true);
        }
        // A bitmap can only continue if one is open; otherwise it starts afresh.
        return (best.Encoding, best.Restart || (best.Encoding == Encoding.Bitmap && current != Encoding.Bitmap));
    }

    /// <summary>Bits set at (serial - offset), little-endian in memory; written as a big-endian mpint.</summary>
    private sealed class BitmapBuilder(ulong offset)
    {
        private byte[] _bits = new byte[64];

        public ulong Offset { get; } = offset;

        public void Set(ulong lo, ulong hi)
        {
            var needed = (int)((hi - Offset) / 8 + 1);
            if (needed > _bits.Length)
            {
                Array.Resize(ref _bits, Math.Max(needed, _bits.Length * 2));
            }
            for (var serial = lo; ; serial++)
            {
                var bit = serial - Offset;
                _bits[bit / 8] |= (byte)(1 << (int)(bit % 8));
                if (serial == hi)
                {
                    break;
                }
            }
        }

        public byte[] ToBigEndian()
        {
            var result = (byte[])_bits.Clone();
            Array.Reverse(result);
            return result;
        }
    }
}
