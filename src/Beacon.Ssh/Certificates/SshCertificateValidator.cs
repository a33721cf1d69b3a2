using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Certificates;

/// <summary>
/// Checks a certificate the way sshd does: signed by a trusted CA, of the expected type, inside its
/// validity window by the injected clock, and naming the principal. Time comes from a
/// <see cref="TimeProvider"/> so tests can move it.
/// </summary>
public sealed class SshCertificateValidator(TimeProvider clock)
{
    /// <summary>Returns null when the certificate is acceptable, or the reason it is refused.</summary>
    public string? Check(SshCertificate certificate, IEnumerable<SshPublicKey> trustedCas, SshCertificateType expectedType, string? principal)
    {
        if (certificate.Type != expectedType)
        {
            return $"a {certificate.Type.ToString().ToLowerInvariant()} certificate where a {expectedType.ToString().ToLowerInvariant()} certificate is needed";
        }
        if (!trustedCas.Contains(certificate.SignatureKey))
        {
            return $"signed by {certificate.SignatureKey.Fingerprint}, which is not a trusted CA";
        }
        if (!certificate.VerifySignature())
        {
            return "the CA signature does not verify";
        }
        var now = (ulong)Math.Max(0, clock.GetUtcNow().ToUnixTimeSeconds());
        if (now < certificate.ValidAfter)
        {
            return $"not valid before {certificate.ValidAfterTime:u}";
        }
        if (now >= certificate.ValidBefore)
        {
            return $"expired at {certificate.ValidBeforeTime:u}";
        }
        if (principal is not null && !certificate.Principals.Contains(principal, StringComparer.Ordinal))
        {
            return $"principal \"{principal}\" is not in the certificate";
        }
        return null;
    }

    /// <exception cref="SshCertificateRefusedException">With the reason, when <see cref="Check"/> refuses.</exception>
    public void Validate(SshCertificate certificate, IEnumerable<SshPublicKey> trustedCas, SshCertificateType expectedType, string? principal)
    {
        if (Check(certificate, trustedCas, expectedType, principal) is { } reason)
        {
            throw new SshCertificateRefusedException(reason);
        }
    }
}

/// <summary>A well-formed certificate that is not acceptable here and now.</summary>
public sealed class SshCertificateRefusedException(string reason) : Exception(reason);
