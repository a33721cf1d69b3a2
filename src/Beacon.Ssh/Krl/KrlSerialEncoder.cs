using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Krl;

/// <summary>
/// Writes a CA's revoked serials as the smallest mix of list, range and bitmap subsections
/// (PROTOCOL.krl sections 2.1 to 2.3).
/// </summary>
/// <remarks>
/// Each run of consecutive serials is either listed (8 bytes a serial, in one list subsection for the
/// whole CA, since subsections may come in any order), a range subsection of its own (21 bytes), or part
/// of a bitmap subsection covering consecutive runs (18 bytes plus one bit per serial of its span). The
/// cheapest partition, to the byte, is found by dynamic programming over the runs; because a bitmap's
/// cost is linear in its start, the best start for each end is a sliding-window minimum, so the search is
/// O(runs). (ssh-keygen's krl.c instead chooses greedily with a cost estimate; we are never larger.)
/// A bitmap never spans more than 16384 serials: OpenSSH reads a bitmap mpint of at most 2048 bytes and
/// refuses the whole KRL otherwise. ssh-keygen 9.2 does not apply that limit when writing, so for dense
/// sets it writes KRLs that it, and sshd, then refuse.
/// </remarks>
internal static class KrlSerialEncoder
{
    private const int ListBytesPerSerial = 8;
    private const int RangeSectionBytes = 1 + 4 + 16;
    private const int BitmapSectionBaseBytes = 1 + 4 + 8 + 4 + 1;
    private const int ListHeaderBytes = 1 + 4;

    public static void Write(KrlSerialSet serials, SshWriter section)
    {
        var runs = serials.Ranges;
        if (runs.IsEmpty)
        {
            return;
        }
        var plan = Plan(runs);

        var list = new SshWriter();
        foreach (var (start, _, kind) in plan)
        {
            if (kind == SegmentKind.List)
            {
                for (var serial = runs[start].First; ; serial++)
                {
                    list.WriteUInt64(serial);
                    if (serial == runs[start].Last)
                    {
                        break;
                    }
                }
            }
        }
        if (list.Length > 0)
        {
            section.WriteByte(KrlFormat.CertSerialList).WriteString(list);
        }
        foreach (var (start, end, kind) in plan)
        {
            if (kind == SegmentKind.Bitmap)
            {
                WriteBitmap(runs[start..(end + 1)], section);
            }
            else if (kind == SegmentKind.Range)
            {
                var range = new SshWriter(16).WriteUInt64(runs[start].First).WriteUInt64(runs[start].Last);
                section.WriteByte(KrlFormat.CertSerialRange).WriteString(range);
            }
        }
    }

    internal enum SegmentKind : byte
    {
        List,
        Range,
        Bitmap,
    }

    /// <summary>
    /// The cheapest partition of the runs into segments, in order: one run listed or as a range, or
    /// consecutive runs (possibly just one) in a bitmap. Exact, including the one list subsection's
    /// 5-byte header: the search tracks two states, before and after the first listed run.
    /// </summary>
    internal static List<(int Start, int End, SegmentKind Kind)> Plan(ReadOnlySpan<KrlSerialRange> runs)
    {
        var n = runs.Length;
        // best[s][i]: fewest bytes for runs[0..i) ending in state s (0: nothing listed yet, 1: the list
        // subsection exists); from/kinds/fromState say how the last segment got there.
        long[][] best = [new long[n + 1], new long[n + 1]];
        int[][] from = [new int[n + 1], new int[n + 1]];
        SegmentKind[][] kinds = [new SegmentKind[n + 1], new SegmentKind[n + 1]];
        byte[][] fromState = [new byte[n + 1], new byte[n + 1]];
        best[1][0] = long.MaxValue / 4; // unreachable: nothing is listed before the first run
        // Per state, candidate bitmap starts j, increasing, with increasing key 8*best[j] - runs[j].First:
        // a sliding-window minimum held in window[state][head..tail).
        int[][] window = [new int[n], new int[n]];
        int[] head = [0, 0], tail = [0, 0];

        for (var i = 1; i <= n; i++)
        {
            var run = runs[i - 1];
            var count = run.Count;
            // Listing costs 8 bytes a serial, so from three serials on a range is always smaller.
            var listed = count <= 2 ? (long)count * ListBytesPerSerial : long.MaxValue / 4;

            Set(0, best[0][i - 1] + RangeSectionBytes, SegmentKind.Range, 0, initial: true);
            Set(1, best[1][i - 1] + RangeSectionBytes, SegmentKind.Range, 1, initial: true);
            Set(1, best[1][i - 1] + listed, SegmentKind.List, 1, initial: false);
            Set(1, best[0][i - 1] + ListHeaderBytes + listed, SegmentKind.List, 0, initial: false);

            for (var state = 0; state < 2; state++)
            {
                var starts = window[state];
                var bestOfState = best[state];
                // A bitmap from runs[j] to this run spans run.Last - runs[j].First; drop starts now too far away.
                while (head[state] < tail[state] && run.Last - runs[starts[head[state]]].First > KrlFormat.MaxBitmapSpan)
                {
                    head[state]++;
                }
                if (run.Last - run.First <= KrlFormat.MaxBitmapSpan)
                {
                    // Drops starts whose key is no better than the newest's. Every start left is within the
                    // span of the newest, so the differences compared here stay small.
                    while (head[state] < tail[state]
                        && KeyAtLeast(starts[tail[state] - 1], i - 1, bestOfState, runs))
                    {
                        tail[state]--;
                    }
                    starts[tail[state]++] = i - 1;
                }
                if (head[state] < tail[state])
                {
                    var j = starts[head[state]];
                    var bitmap = best[state][j] + BitmapSectionBaseBytes + (long)((run.Last - runs[j].First + 1) / 8);
                    if (bitmap < best[state][i])
                    {
                        best[state][i] = bitmap;
                        from[state][i] = j;
                        kinds[state][i] = SegmentKind.Bitmap;
                        fromState[state][i] = (byte)state;
                    }
                }
            }

            void Set(int state, long cost, SegmentKind kind, byte previous, bool initial)
            {
                if (initial || cost < best[state][i])
                {
                    best[state][i] = cost;
                    from[state][i] = i - 1;
                    kinds[state][i] = kind;
                    fromState[state][i] = previous;
                }
            }
        }

        var segments = new List<(int, int, SegmentKind)>();
        var at = best[1][n] < best[0][n] ? 1 : 0;
        for (var i = n; i > 0;)
        {
            var start = from[at][i];
            segments.Add((start, i - 1, kinds[at][i]));
            at = fromState[at][i];
            i = start;
        }
        segments.Reverse();
        return segments;
    }

    /// <summary>Whether 8*best[a] - first[a] &gt;= 8*best[b] - first[b], computed on differences to avoid overflow.</summary>
    private static bool KeyAtLeast(int a, int b, long[] best, ReadOnlySpan<KrlSerialRange> runs) =>
        8 * (best[a] - best[b]) >= unchecked((long)(runs[a].First - runs[b].First));

    private static void WriteBitmap(ReadOnlySpan<KrlSerialRange> runs, SshWriter section)
    {
        var offset = runs[0].First;
        var span = runs[^1].Last - offset;
        var magnitude = new byte[span / 8 + 1];
        foreach (var run in runs)
        {
            for (var bit = run.First - offset; ; bit++)
            {
                // Bit N is bit N of the big-endian integer: the last byte holds bits 0 to 7.
                magnitude[magnitude.Length - 1 - (int)(bit / 8)] |= (byte)(1 << (int)(bit % 8));
                if (bit == run.Last - offset)
                {
                    break;
                }
            }
        }
        var body = new SshWriter(magnitude.Length + 16);
        body.WriteUInt64(offset).WriteMPIntUnsigned(magnitude);
        section.WriteByte(KrlFormat.CertSerialBitmap).WriteString(body);
    }
}
