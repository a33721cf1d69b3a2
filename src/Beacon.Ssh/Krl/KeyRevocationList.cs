using System.Security.Cryptography;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Krl;

/// <summary>
/// An OpenSSH Key Revocation List (PROTOCOL.krl): revoked certificates by CA and serial or key ID,
/// revoked keys by blob or fingerprint. Immutable; <see cref="KrlBuilder"/> makes one,
/// <see cref="KrlParser"/> reads one, <see cref="KrlWriter"/> encodes one.
/// </summary>
public sealed class KeyRevocationList
{
    public KeyRevocationList(
        ulong version,
        ulong generatedDate,
        string comment,
        IReadOnlyList<KrlCertificateSection> certificateSections,
        IEnumerable<byte[]> explicitKeys,
        IEnumerable<byte[]> sha1Fingerprints,
        IEnumerable<byte[]> sha256Fingerprints)
    {
        Version = version;
        GeneratedDate = generatedDate;
        Comment = comment;
        CertificateSections = certificateSections;
        ExplicitKeys = SortedUnique(explicitKeys);
        Sha1Fingerprints = SortedUnique(sha1Fingerprints);
        Sha256Fingerprints = SortedUnique(sha256Fingerprints);
    }

    /// <summary>The krl_version: increases with every change.</summary>
    public ulong Version { get; }

    /// <summary>Seconds since the Unix epoch.</summary>
    public ulong GeneratedDate { get; }

    public string Comment { get; }

    public IReadOnlyList<KrlCertificateSection> CertificateSections { get; }

    /// <summary>Public key blobs revoked outright, sorted (bytewise) and unique.</summary>
    public IReadOnlyList<byte[]> ExplicitKeys { get; }

    public IReadOnlyList<byte[]> Sha1Fingerprints { get; }

    public IReadOnlyList<byte[]> Sha256Fingerprints { get; }

    /// <summary>
    /// Whether sshd would refuse this plain key: its blob is listed, or its SHA-1 or SHA-256 hash.
    /// </summary>
    public bool IsRevoked(SshPublicKey key) => IsKeyRevoked(key.Blob);

    /// <summary>
    /// Whether sshd would refuse this certificate: its key is revoked as a plain key, its CA key is
    /// revoked, or a section for its CA (or for any CA) lists its serial or key ID. Serial 0 is never
    /// matched by serial, as OpenSSH ignores it (it is what a CA writes when it names no serial).
    /// </summary>
    public bool IsRevoked(SshCertificate certificate)
    {
        if (IsKeyRevoked(certificate.PublicKey.Blob) || IsKeyRevoked(certificate.SignatureKey.Blob))
        {
            return true;
        }
        foreach (var section in CertificateSections)
        {
            if (section.CaKey is not null && !section.CaKey.Equals(certificate.SignatureKey))
            {
                continue;
            }
            if (section.KeyIds.Contains(certificate.KeyId) || (certificate.Serial != 0 && section.IsSerialRevoked(certificate.Serial)))
            {
                return true;
            }
        }
        return false;
    }

    private bool IsKeyRevoked(ReadOnlySpan<byte> blob) =>
        Contains(ExplicitKeys, blob) || Contains(Sha1Fingerprints, SHA1.HashData(blob)) || Contains(Sha256Fingerprints, SHA256.HashData(blob));

    private static bool Contains(IReadOnlyList<byte[]> sorted, ReadOnlySpan<byte> value)
    {
        int lo = 0, hi = sorted.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + (hi - lo) / 2;
            var order = sorted[mid].AsSpan().SequenceCompareTo(value);
            if (order == 0)
            {
                return true;
            }
            if (order < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return false;
    }

    private static byte[][] SortedUnique(IEnumerable<byte[]> values)
    {
        var sorted = values.ToList();
        sorted.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        return sorted.Where((v, i) => i == 0 || !v.AsSpan().SequenceEqual(sorted[i - 1])).ToArray();
    }
}

/// <summary>Revocations for one CA (or, when <see cref="CaKey"/> is null, for every CA).</summary>
public sealed class KrlCertificateSection(SshPublicKey? caKey, IEnumerable<SerialRange> serials, IEnumerable<string> keyIds)
{
    private readonly SerialRange[] _serials = SerialRange.Normalize(serials);

    public SshPublicKey? CaKey { get; } = caKey;

    /// <summary>Revoked serials as sorted, merged, inclusive ranges.</summary>
    public IReadOnlyList<SerialRange> Serials => _serials;

    public IReadOnlySet<string> KeyIds { get; } = new SortedSet<string>(keyIds, StringComparer.Ordinal);

    public bool IsSerialRevoked(ulong serial) => SerialRange.Contains(_serials, serial);

    internal SerialRange[] SerialArray => _serials;
}
