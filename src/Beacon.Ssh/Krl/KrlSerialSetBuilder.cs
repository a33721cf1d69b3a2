namespace Beacon.Ssh.Krl;

/// <summary>
/// Collects serial ranges in any order, overlapping or not, and turns them into a <see cref="KrlSerialSet"/>
/// by one sort (skipped when they came in order) and one merge, as OpenSSH coalesces its range tree.
/// </summary>
internal sealed class KrlSerialSetBuilder
{
    private ulong[] _firsts = new ulong[16];
    private ulong[] _lasts = new ulong[16];
    private int _count;
    private bool _sorted = true;

    /// <summary>The number of ranges added so far, before merging.</summary>
    public int RawCount => _count;

    public bool IsEmpty => _count == 0;

    /// <summary>Adds first..last; the caller has checked first is non-zero and first &lt;= last.</summary>
    public void Add(ulong first, ulong last)
    {
        if (_count > 0)
        {
            var previousLast = _lasts[_count - 1];
            // Extends the previous range in place when the input is in order, as it is from our own encoder.
            if (first >= _firsts[_count - 1] && (first <= previousLast || first == previousLast + 1))
            {
                if (last > previousLast)
                {
                    _lasts[_count - 1] = last;
                }
                return;
            }
            if (first < _firsts[_count - 1])
            {
                _sorted = false;
            }
        }
        if (_count == _firsts.Length)
        {
            Array.Resize(ref _firsts, _count * 2);
            Array.Resize(ref _lasts, _count * 2);
        }
        _firsts[_count] = first;
        _lasts[_count] = last;
        _count++;
    }

    public void AddAll(KrlSerialSet set)
    {
        foreach (var range in set.Ranges)
        {
            Add(range.First, range.Last);
        }
    }

    public KrlSerialSet ToSet()
    {
        if (_count == 0)
        {
            return KrlSerialSet.Empty;
        }
        var firsts = _firsts.AsSpan(0, _count);
        var lasts = _lasts.AsSpan(0, _count);
        if (!_sorted)
        {
            // Copies, so the builder stays usable and its order flag stays true to its contents.
            var sortedFirsts = firsts.ToArray();
            var sortedLasts = lasts.ToArray();
            Array.Sort(sortedFirsts, sortedLasts);
            firsts = sortedFirsts;
            lasts = sortedLasts;
        }
        var merged = new List<KrlSerialRange>(_count);
        ulong currentFirst = firsts[0], currentLast = lasts[0];
        for (var i = 1; i < firsts.Length; i++)
        {
            // Overlapping or adjacent (and not already ending at the top of the serial space): merge.
            if (firsts[i] <= currentLast || (currentLast != ulong.MaxValue && firsts[i] == currentLast + 1))
            {
                currentLast = Math.Max(currentLast, lasts[i]);
            }
            else
            {
                merged.Add(new KrlSerialRange(currentFirst, currentLast));
                currentFirst = firsts[i];
                currentLast = lasts[i];
            }
        }
        merged.Add(new KrlSerialRange(currentFirst, currentLast));
        return new KrlSerialSet([.. merged]);
    }
}
