using System.Collections;

namespace Beacon.Ssh.Krl;

/// <summary>
/// An immutable set of revoked certificate serials, held as sorted, disjoint, non-adjacent ranges:
/// a million serials cost at most a million ranges and usually far fewer, never an object per serial.
/// Serial 0 is never a member: it means "no serial" and OpenSSH refuses to revoke it.
/// </summary>
public sealed class KrlSerialSet : IReadOnlyList<KrlSerialRange>, IEquatable<KrlSerialSet>
{
    private readonly KrlSerialRange[] _ranges;

    /// <summary>Takes ranges that are already sorted, disjoint and non-adjacent (see <see cref="KrlSerialSetBuilder"/>).</summary>
    internal KrlSerialSet(KrlSerialRange[] ranges)
    {
        _ranges = ranges;
        ulong count = 0;
        foreach (var range in ranges)
        {
            count += range.Count;
        }
        SerialCount = count;
    }

    public static KrlSerialSet Empty { get; } = new([]);

    /// <summary>The number of ranges.</summary>
    public int Count => _ranges.Length;

    /// <summary>The number of serials in all ranges together.</summary>
    public ulong SerialCount { get; }

    public bool IsEmpty => _ranges.Length == 0;

    public KrlSerialRange this[int index] => _ranges[index];

    /// <summary>Whether the serial is revoked; a binary search over the ranges.</summary>
    public bool Contains(ulong serial)
    {
        int low = 0, high = _ranges.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var range = _ranges[middle];
            if (serial < range.First)
            {
                high = middle - 1;
            }
            else if (serial > range.Last)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    internal ReadOnlySpan<KrlSerialRange> Ranges => _ranges;

    public IEnumerator<KrlSerialRange> GetEnumerator() => ((IEnumerable<KrlSerialRange>)_ranges).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(KrlSerialSet? other) => other is not null && _ranges.AsSpan().SequenceEqual(other._ranges);

    public override bool Equals(object? obj) => obj is KrlSerialSet other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_ranges.Length, SerialCount);

    public override string ToString() => _ranges.Length <= 8
        ? string.Join(',', _ranges)
        : $"{SerialCount} serials in {_ranges.Length} ranges";
}
