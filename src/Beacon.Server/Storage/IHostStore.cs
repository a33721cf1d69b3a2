using Beacon.Server.Audit;

namespace Beacon.Server.Storage;

/// <summary>Storage for host enrollment and renewal: tokens, hosts, their certificates and renewal challenges.</summary>
public interface IHostStore
{
    Task CreateHostTokenAsync(HostTokenRecord token, AuditDraft audit, CancellationToken cancellationToken = default);

    /// <summary>Marks the token used and returns it, or says why it cannot be used. Any attempt uses it up.</summary>
    Task<(HostTokenRecord? Token, OneTimeUseFailure Failure)> ConsumeHostTokenAsync(string tokenHmac, long nowMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the host (new, or its renewal time and validity), its newly issued certificates and the
    /// audit event in one transaction.
    /// </summary>
    /// <exception cref="DuplicateSerialException">A serial is taken (the caller retries with new ones).</exception>
    Task<AuditEvent> RecordHostIssuanceAsync(HostRecord host, IReadOnlyList<CertificateRecord> certificates, AuditDraft audit, CancellationToken cancellationToken = default);

    Task<HostRecord?> FindHostAsync(string id, CancellationToken cancellationToken = default);

    Task<Page<HostRecord>> ListHostsAsync(int limit, int offset, CancellationToken cancellationToken = default);

    /// <summary>The stored certificate with this serial, of any type; null when none.</summary>
    Task<CertificateRecord?> FindCertificateAsync(string serial, CancellationToken cancellationToken = default);

    /// <summary>Whether the plain key with this fingerprint is revoked outright.</summary>
    Task<bool> IsKeyRevokedAsync(string fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Stores a challenge, dropping challenges that expired long ago.</summary>
    Task CreateRenewalChallengeAsync(HostChallengeRecord challenge, CancellationToken cancellationToken = default);

    /// <summary>Marks the challenge used and returns it (expired or not: the caller checks), or says why it cannot be used.</summary>
    Task<(HostChallengeRecord? Challenge, OneTimeUseFailure Failure)> ConsumeRenewalChallengeAsync(string challengeHash, long nowMs, CancellationToken cancellationToken = default);
}
