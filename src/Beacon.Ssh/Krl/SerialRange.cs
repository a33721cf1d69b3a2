namespace Beacon.Ssh.Krl;

/// <summary>An inclusive range of certificate serials, Lo ≤ Hi.</summary>
public readonly record struct SerialRange(ulong Lo, ulong Hi)
{
    public bool Contains(ulong serial) => serial >= Lo && serial <= Hi;

    /// <summary>Sorts and merges overlapping or adjacent ranges, so lookups can binary-search.</summary>
    public static SerialRange[] Normalize(IEnumerable<SerialRange> ranges)
    {
        var sorted = ranges.OrderBy(r => r.Lo).ToArray();
        var merged = new List<SerialRange>(sorted.Length);
        foreach (var range in sorted)
        {
            if (merged.Count > 0 && (merged[^1].Hi == ulong.MaxValue || range.Lo <= merged[^1].Hi + 1))
            {
                merged[^1] = merged[^1] with { Hi = Math.Max(merged[^1].Hi, range.Hi) };
            }
            else
            {
                merged.Add(range);
            }
        }
        return [.. merged];
    }

    /// <summary>Whether a normalised range array contains the serial.</summary>
    public static bool Contains(SerialRange[] normalized, ulong serial)
    {
        int lo = 0, hi = normalized.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (serial < normalized[mid].Lo)
            {
                hi = mid - 1;
            }
            else if (serial > normalized[mid].Hi)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }
}
