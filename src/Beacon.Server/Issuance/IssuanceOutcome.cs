using Beacon.Server.Storage;
using Beacon.Ssh.Certificates;

namespace Beacon.Server.Issuance;

/// <summary>A certificate and its stored record, or a refusal with its HTTP status and reason.</summary>
public sealed record IssuanceOutcome(SshCertificate? Certificate, CertificateRecord? Record, int Status, string? Title, string? Detail, TimeSpan? RetryAfter = null)
{
    public static IssuanceOutcome Issued(SshCertificate certificate, CertificateRecord record) => new(certificate, record, 201, null, null);

    public static IssuanceOutcome Refused(int status, string title, string detail) => new(null, null, status, title, detail);
}
