using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Krl;

/// <summary>
/// An OpenSSH key revocation list (PROTOCOL.krl), the file sshd reads through RevokedKeys. Immutable and
/// normalised: one section per CA (in order of first appearance), serials as merged ranges, key IDs,
/// keys and hashes sorted and distinct. Parse with <see cref="KrlParser"/>, make with <see cref="KrlBuilder"/>,
/// write with <see cref="Encode"/>, ask with <see cref="Check(Certificates.SshCertificate)"/>.
/// </summary>
public sealed partial class KeyRevocationList : IEquatable<KeyRevocationList>
{
    private readonly KrlCertificateSection[] _certificateSections;
    private readonly Dictionary<byte[], KrlCertificateSection> _sectionsByCa;
    private readonly KrlCertificateSection? _anyCaSection;
    private readonly byte[][] _explicitKeys;
    private readonly byte[][] _sha1;
    private readonly byte[][] _sha256;
    private readonly IReadOnlyList<ReadOnlyMemory<byte>> _explicitKeyView;
    private readonly IReadOnlyList<ReadOnlyMemory<byte>> _sha1View;
    private readonly IReadOnlyList<ReadOnlyMemory<byte>> _sha256View;

    private KeyRevocationList(
        ulong version,
        ulong generatedDate,
        ulong flags,
        string comment,
        KrlCertificateSection[] certificateSections,
        byte[][] explicitKeys,
        byte[][] sha1,
        byte[][] sha256,
        KrlSignature[] signatures)
    {
        Version = version;
        GeneratedDate = generatedDate;
        Flags = flags;
        Comment = comment;
        _certificateSections = certificateSections;
        _explicitKeys = explicitKeys;
        _sha1 = sha1;
        _sha256 = sha256;
        _explicitKeyView = AsMemories(explicitKeys);
        _sha1View = AsMemories(sha1);
        _sha256View = AsMemories(sha256);
        CertificateSections = Array.AsReadOnly(certificateSections);
        Signatures = Array.AsReadOnly(signatures);
        _sectionsByCa = new Dictionary<byte[], KrlCertificateSection>(KrlOrdering.Instance);
        foreach (var section in certificateSections)
        {
            if (section.CaKey is null)
            {
                _anyCaSection = section;
            }
            else
            {
                _sectionsByCa[section.CaKey.Blob.ToArray()] = section;
            }
        }
    }

    /// <summary>
    /// Normalises parsed or built contents: drops certificate sections that revoke nothing, sorts and
    /// de-duplicates blobs. The caller has merged sections per CA already.
    /// </summary>
    internal static KeyRevocationList Create(
        ulong version,
        ulong generatedDate,
        ulong flags,
        string comment,
        IEnumerable<KrlCertificateSection> certificateSections,
        IEnumerable<byte[]> explicitKeys,
        IEnumerable<byte[]> sha1,
        IEnumerable<byte[]> sha256,
        IEnumerable<KrlSignature> signatures) =>
        new(version, generatedDate, flags, comment,
            [.. certificateSections.Where(s => !s.Serials.IsEmpty || s.KeyIds.Count > 0)],
            KrlOrdering.SortDistinct(explicitKeys),
            KrlOrdering.SortDistinct(sha1),
            KrlOrdering.SortDistinct(sha256),
            [.. signatures]);

    /// <summary>The KRL's own version number (krl_version), which grows each time the list changes.</summary>
    public ulong Version { get; }

    /// <summary>When the KRL was generated, in seconds since the Unix epoch.</summary>
    public ulong GeneratedDate { get; }

    public DateTimeOffset GeneratedAt => DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(GeneratedDate, MaxUnixSeconds));

    /// <summary>No flags are defined; kept as read so a re-encoding preserves them.</summary>
    public ulong Flags { get; }

    public string Comment { get; }

    /// <summary>Certificate sections, one per CA (and at most one for any CA), in order of first appearance.</summary>
    public IReadOnlyList<KrlCertificateSection> CertificateSections { get; }

    /// <summary>Explicitly revoked plain keys as wire blobs, in OpenSSH's order. Unknown key types are kept as they are.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> RevokedKeys => _explicitKeyView;

    /// <summary>SHA1 hashes of revoked key blobs (20 bytes each), in numeric order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> RevokedSha1Hashes => _sha1View;

    /// <summary>SHA256 hashes of revoked key blobs (32 bytes each), in numeric order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> RevokedSha256Hashes => _sha256View;

    /// <summary>Signature sections found by the parser, never verified and never written back.</summary>
    public IReadOnlyList<KrlSignature> Signatures { get; }

    /// <summary>The section for a CA key (not the any-CA section), or null.</summary>
    public KrlCertificateSection? FindSection(SshPublicKey caKey) =>
        _sectionsByCa.GetValueOrDefault(caKey.Blob.ToArray());

    /// <summary>The section that applies to certificates from any CA, or null.</summary>
    public KrlCertificateSection? AnyCaSection => _anyCaSection;

    internal byte[][] ExplicitKeyBlobs => _explicitKeys;

    internal byte[][] Sha1Hashes => _sha1;

    internal byte[][] Sha256Hashes => _sha256;

    /// <summary>The binary form, as sshd's RevokedKeys and ssh-keygen -Q read it. Never carries a signature section.</summary>
    public byte[] Encode() => KrlWriter.Encode(this);

    /// <summary>
    /// Equal when every encoded field is: header, sections (in order) and revoked entries. Signature
    /// sections, which are never encoded, do not count.
    /// </summary>
    public bool Equals(KeyRevocationList? other) =>
        other is not null
        && Version == other.Version
        && GeneratedDate == other.GeneratedDate
        && Flags == other.Flags
        && Comment == other.Comment
        && _certificateSections.AsSpan().SequenceEqual(other._certificateSections)
        && SameBlobs(_explicitKeys, other._explicitKeys)
        && SameBlobs(_sha1, other._sha1)
        && SameBlobs(_sha256, other._sha256);

    public override bool Equals(object? obj) => obj is KeyRevocationList other && Equals(other);

    public override int GetHashCode() =>
        HashCode.Combine(Version, GeneratedDate, _certificateSections.Length, _explicitKeys.Length, _sha1.Length, _sha256.Length);

    public override string ToString() =>
        $"KRL version {Version}: {_certificateSections.Length} certificate sections, {_explicitKeys.Length} keys, " +
        $"{_sha1.Length} SHA1 and {_sha256.Length} SHA256 hashes";

    private static bool SameBlobs(byte[][] a, byte[][] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        for (var i = 0; i < a.Length; i++)
        {
            if (!a[i].AsSpan().SequenceEqual(b[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A read-only view: callers cannot reach the arrays the lookups and encoding use.</summary>
    private static IReadOnlyList<ReadOnlyMemory<byte>> AsMemories(byte[][] blobs) =>
        Array.AsReadOnly(Array.ConvertAll(blobs, b => new ReadOnlyMemory<byte>(b)));

    private static readonly ulong MaxUnixSeconds = (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds();
}
