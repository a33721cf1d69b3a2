using System.Globalization;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Tests.Vectors;

/// <summary>
/// How ssh-keygen 9.2 prints the fields of a certificate we parsed, so a test can compare our reading
/// with <see cref="Beacon.Testing.SshKeygenListing"/> field by field (ssh-keygen.c show_options and
/// sshkey_format_cert_validity).
/// </summary>
public static class KeygenStyle
{
    public static string TypeLine(SshCertificate certificate) =>
        $"{certificate.CertificateType} {(certificate.Type == SshCertificateType.User ? "user" : "host")} certificate";

    /// <summary>ssh-keygen prints the certified key's own fingerprint (not the certificate blob's).</summary>
    public static string PublicKeyLine(SshCertificate certificate) =>
        $"{KeyName(certificate.PublicKey)}-CERT {certificate.PublicKey.Fingerprint}";

    public static string SigningCaLine(SshCertificate certificate) =>
        $"{KeyName(certificate.SignatureKey)} {certificate.SignatureKey.Fingerprint} (using {certificate.Signature.Algorithm})";

    public static string KeyName(SshPublicKey key) => key switch
    {
        Ed25519PublicKey => "ED25519",
        EcdsaPublicKey => "ECDSA",
        RsaPublicKey => "RSA",
        _ => throw new ArgumentException($"no ssh-keygen name for {key.KeyType}", nameof(key)),
    };

    public static string Validity(SshCertificate certificate)
    {
        if (certificate.ValidAfter == 0 && certificate.ValidBefore == SshCertificate.Forever)
        {
            return "forever";
        }
        if (certificate.ValidAfter == 0)
        {
            return $"before {Time(certificate.ValidBefore)}";
        }
        if (certificate.ValidBefore == SshCertificate.Forever)
        {
            return $"after {Time(certificate.ValidAfter)}";
        }
        return $"from {Time(certificate.ValidAfter)} to {Time(certificate.ValidBefore)}";
    }

    public static IReadOnlyList<string> CriticalOptions(SshCertificate certificate) =>
        certificate.CriticalOptions.Select(o => Option(o, critical: true)).ToList();

    public static IReadOnlyList<string> Extensions(SshCertificate certificate) =>
        certificate.Extensions.Select(o => Option(o, critical: false)).ToList();

    private static readonly string[] KnownFlagExtensions =
    [
        SshCertificateOptions.PermitX11Forwarding, SshCertificateOptions.PermitAgentForwarding,
        SshCertificateOptions.PermitPortForwarding, SshCertificateOptions.PermitPty,
        SshCertificateOptions.PermitUserRc, SshCertificateOptions.NoTouchRequired,
    ];

    private static string Option(SshCertificateOption option, bool critical)
    {
        if (critical && option.Name is SshCertificateOptions.ForceCommand or SshCertificateOptions.SourceAddress)
        {
            return $"{option.Name} {option.Value}";
        }
        if ((!critical && KnownFlagExtensions.Contains(option.Name)) || (critical && option.Name == SshCertificateOptions.VerifyRequired))
        {
            return option.Name;
        }
        if (option.Data.IsEmpty)
        {
            return $"{option.Name} UNKNOWN FLAG OPTION";
        }
        return $"{option.Name} UNKNOWN OPTION: {Convert.ToHexString(option.Data.Span).ToLowerInvariant()} (len {option.Data.Length})";
    }

    private static string Time(ulong seconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Asserts that ssh-keygen's listing shows exactly the fields we parsed.</summary>
    public static void AssertListingMatches(Beacon.Testing.SshKeygenListing listing, SshCertificate certificate)
    {
        Assert.Equal(TypeLine(certificate), listing.Type);
        Assert.Equal(PublicKeyLine(certificate), listing.PublicKey);
        Assert.Equal(SigningCaLine(certificate), listing.SigningCa);
        Assert.Equal(certificate.KeyId, listing.KeyId);
        Assert.Equal(certificate.Serial, listing.Serial);
        Assert.Equal(Validity(certificate), listing.Valid);
        Assert.Equal(certificate.Principals, listing.Principals);
        Assert.Equal(CriticalOptions(certificate), listing.CriticalOptions);
        Assert.Equal(Extensions(certificate), listing.Extensions);
    }
}
