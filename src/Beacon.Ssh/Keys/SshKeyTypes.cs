namespace Beacon.Ssh.Keys;

/// <summary>Key and signature algorithm names as they appear on the wire.</summary>
public static class SshKeyTypes
{
    public const string Ed25519 = "ssh-ed25519";
    public const string EcdsaP256 = "ecdsa-sha2-nistp256";
    public const string EcdsaP384 = "ecdsa-sha2-nistp384";
    public const string EcdsaP521 = "ecdsa-sha2-nistp521";
    public const string Rsa = "ssh-rsa";
    public const string Dsa = "ssh-dss";

    /// <summary>RSA signature algorithms (RFC 8332). SHA-1 "ssh-rsa" signatures are verified nowhere and produced never.</summary>
    public const string RsaSha256 = "rsa-sha2-256";
    public const string RsaSha512 = "rsa-sha2-512";

    public const string CertSuffix = "-cert-v01@openssh.com";

    public static bool IsCertificateType(string type) => type.EndsWith(CertSuffix, StringComparison.Ordinal);

    /// <summary>The certificate type name for a plain key type, e.g. ssh-ed25519-cert-v01@openssh.com.</summary>
    public static string CertificateTypeFor(string keyType) => keyType + CertSuffix;

    /// <summary>The plain key type of a certificate type name.</summary>
    public static string KeyTypeOfCertificate(string certType) =>
        IsCertificateType(certType) ? certType[..^CertSuffix.Length] : throw new ArgumentException("not a certificate type", nameof(certType));
}
