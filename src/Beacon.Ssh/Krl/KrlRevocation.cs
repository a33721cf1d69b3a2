namespace Beacon.Ssh.Krl;

/// <summary>Why a KRL revokes a key or certificate, in the order OpenSSH checks (ssh_krl_check_key).</summary>
public enum KrlRevocation
{
    /// <summary>Nothing in the KRL matches.</summary>
    NotRevoked = 0,

    /// <summary>The key's (or the certificate's key's) SHA1 hash is listed.</summary>
    Sha1Fingerprint,

    /// <summary>The key's (or the certificate's key's) SHA256 hash is listed.</summary>
    Sha256Fingerprint,

    /// <summary>The key (or the certificate's key) is listed as an explicit key.</summary>
    ExplicitKey,

    /// <summary>The certificate's key ID is revoked for its CA or for any CA.</summary>
    KeyId,

    /// <summary>The certificate's serial is revoked for its CA or for any CA.</summary>
    Serial,

    /// <summary>The CA key that signed the certificate is itself revoked, by hash or explicitly.</summary>
    CaKey,
}
