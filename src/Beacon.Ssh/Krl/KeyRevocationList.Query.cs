using System.Security.Cryptography;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Krl;

/// <summary>The question sshd asks a KRL, answered as OpenSSH's ssh_krl_check_key answers it.</summary>
public sealed partial class KeyRevocationList
{
    /// <summary>Whether the KRL revokes the plain key, by hash or explicitly.</summary>
    public bool IsRevoked(SshPublicKey key) => Check(key) != KrlRevocation.NotRevoked;

    /// <summary>Whether the KRL revokes the certificate: its key, its serial or key ID under its CA or any CA, or its CA key.</summary>
    public bool IsRevoked(SshCertificate certificate) => Check(certificate) != KrlRevocation.NotRevoked;

    /// <summary>Why the KRL revokes the plain key: its SHA1 hash, its SHA256 hash, then the key itself.</summary>
    public KrlRevocation Check(SshPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var blob = key.Blob;
        if (_sha1.Length > 0 && KrlOrdering.Contains(_sha1, SHA1.HashData(blob)))
        {
            return KrlRevocation.Sha1Fingerprint;
        }
        if (_sha256.Length > 0 && KrlOrdering.Contains(_sha256, SHA256.HashData(blob)))
        {
            return KrlRevocation.Sha256Fingerprint;
        }
        if (KrlOrdering.Contains(_explicitKeys, blob))
        {
            return KrlRevocation.ExplicitKey;
        }
        return KrlRevocation.NotRevoked;
    }

    /// <summary>
    /// Why the KRL revokes the certificate, in OpenSSH's order: the certified key as a plain key (hashes
    /// and explicit keys), the section of the CA that signed it (key ID, then serial unless 0), the any-CA
    /// section, and finally the CA key itself as a plain key.
    /// </summary>
    public KrlRevocation Check(SshCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var byKey = Check(certificate.PublicKey);
        if (byKey != KrlRevocation.NotRevoked)
        {
            return byKey;
        }
        if (FindSection(certificate.SignatureKey) is { } section && section.Check(certificate) is var bySection
            && bySection != KrlRevocation.NotRevoked)
        {
            return bySection;
        }
        if (_anyCaSection is not null && _anyCaSection.Check(certificate) is var byAnyCa && byAnyCa != KrlRevocation.NotRevoked)
        {
            return byAnyCa;
        }
        return Check(certificate.SignatureKey) != KrlRevocation.NotRevoked ? KrlRevocation.CaKey : KrlRevocation.NotRevoked;
    }
}
