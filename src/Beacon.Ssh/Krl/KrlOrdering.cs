using System.Text;

namespace Beacon.Ssh.Krl;

/// <summary>
/// The orders OpenSSH keeps KRL entries in, so what we write is what ssh-keygen would write:
/// blobs and hashes by memcmp with the shorter first on a tie (blob_cmp, which for fixed-length hashes
/// is the big-endian numeric order PROTOCOL.krl asks for), key IDs by strcmp over their UTF-8 bytes.
/// </summary>
internal sealed class KrlOrdering : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    public static readonly KrlOrdering Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }

    /// <summary>Sorts and removes duplicates, returning a new array.</summary>
    public static byte[][] SortDistinct(IEnumerable<byte[]> blobs)
    {
        var sorted = blobs.ToArray();
        Array.Sort(sorted, Instance);
        var distinct = new List<byte[]>(sorted.Length);
        foreach (var blob in sorted)
        {
            if (distinct.Count == 0 || !Instance.Equals(distinct[^1], blob))
            {
                distinct.Add(blob);
            }
        }
        return [.. distinct];
    }

    /// <summary>Sorts in strcmp order (UTF-8 bytes; UTF-16 ordinal order differs above U+D7FF) and removes duplicates.</summary>
    public static string[] SortDistinct(IEnumerable<string> keyIds)
    {
        var distinct = keyIds.Distinct(StringComparer.Ordinal).ToArray();
        // Encodes each once rather than on every comparison.
        var keys = Array.ConvertAll(distinct, id => Encoding.UTF8.GetBytes(id));
        Array.Sort(keys, distinct, Instance);
        return distinct;
    }

    /// <summary>Binary search in an array sorted by <see cref="Compare(byte[], byte[])"/>.</summary>
    public static bool Contains(byte[][] sorted, ReadOnlySpan<byte> value)
    {
        int low = 0, high = sorted.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = sorted[middle].AsSpan().SequenceCompareTo(value);
            if (order == 0)
            {
                return true;
            }
            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return false;
    }
}
