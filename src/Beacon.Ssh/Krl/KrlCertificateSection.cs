using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Krl;

/// <summary>
/// The certificates one CA's KRL section revokes (PROTOCOL.krl section 2): by serial and by key ID.
/// A section without a CA key applies to certificates from any CA. Immutable.
/// </summary>
public sealed class KrlCertificateSection : IEquatable<KrlCertificateSection>
{
    private readonly string[] _keyIds;
    private readonly HashSet<string> _keyIdLookup;

    internal KrlCertificateSection(SshPublicKey? caKey, KrlSerialSet serials, string[] sortedDistinctKeyIds)
    {
        CaKey = caKey;
        Serials = serials;
        _keyIds = sortedDistinctKeyIds;
        KeyIds = Array.AsReadOnly(sortedDistinctKeyIds);
        _keyIdLookup = new HashSet<string>(sortedDistinctKeyIds, StringComparer.Ordinal);
    }

    /// <summary>The CA whose certificates this section revokes; null for any CA (the wildcard form).</summary>
    public SshPublicKey? CaKey { get; }

    public bool AppliesToAnyCa => CaKey is null;

    /// <summary>Revoked serials.</summary>
    public KrlSerialSet Serials { get; }

    /// <summary>Revoked key IDs, distinct, in strcmp order.</summary>
    public IReadOnlyList<string> KeyIds { get; }

    /// <summary>
    /// Whether this section revokes the certificate, as OpenSSH's is_cert_revoked decides: by key ID, then by
    /// serial unless the serial is 0 (the default when a CA gives none, so never a revocation). The caller
    /// has matched the CA.
    /// </summary>
    internal KrlRevocation Check(SshCertificate certificate)
    {
        if (_keyIdLookup.Contains(certificate.KeyId))
        {
            return KrlRevocation.KeyId;
        }
        if (certificate.Serial != 0 && Serials.Contains(certificate.Serial))
        {
            return KrlRevocation.Serial;
        }
        return KrlRevocation.NotRevoked;
    }

    public bool Equals(KrlCertificateSection? other) =>
        other is not null
        && Equals(CaKey, other.CaKey)
        && Serials.Equals(other.Serials)
        && _keyIds.AsSpan().SequenceEqual(other._keyIds);

    public override bool Equals(object? obj) => obj is KrlCertificateSection other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(CaKey, Serials, _keyIds.Length);

    public override string ToString() =>
        $"{(CaKey is null ? "any CA" : CaKey.Fingerprint)}: serials {Serials}, {_keyIds.Length} key IDs";
}
