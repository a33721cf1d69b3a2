using Beacon.Server.Audit;

namespace Beacon.Server.Storage;

/// <summary>
/// The server's storage, narrow on purpose. Every write that changes state appends its audit event in
/// the same transaction, so there is never a certificate, a token or an admin change without its
/// record. One implementation per database engine.
/// </summary>
public interface IBeaconStore
{
    /// <summary>Applies pending schema migrations.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>True when the database answers a trivial query.</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a sighting of an identity, creating the user on first sight; returns the current record.</summary>
    Task<UserRecord> TouchUserAsync(string provider, string subject, string username, string? email, long nowMs, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<UserRecord>> FindUsersAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>Disables or enables every identity mapped to the username; returns how many changed.</summary>
    Task<int> SetUserDisabledAsync(string username, bool disabled, string? reason, AuditDraft audit, CancellationToken cancellationToken = default);

    /// <summary>Stores an issued certificate and its audit event atomically; returns the event.</summary>
    /// <exception cref="DuplicateSerialException">The serial is taken (the caller retries with a new one).</exception>
    Task<AuditEvent> RecordIssuanceAsync(CertificateRecord certificate, AuditDraft audit, CancellationToken cancellationToken = default);

    /// <summary>Appends an audit event on its own (refusals, reads that are audited).</summary>
    Task<AuditEvent> AppendAuditAsync(AuditDraft audit, CancellationToken cancellationToken = default);

    Task CreateOneTimeTokenAsync(OneTimeTokenRecord token, AuditDraft audit, CancellationToken cancellationToken = default);

    /// <summary>Marks an unused, unexpired token of the kind as used and returns it; null when there is none.</summary>
    Task<OneTimeTokenRecord?> ConsumeOneTimeTokenAsync(string tokenHash, string kind, long nowMs, CancellationToken cancellationToken = default);

    /// <summary>The unused, unexpired token of the kind, without using it; null when there is none.</summary>
    Task<OneTimeTokenRecord?> PeekOneTimeTokenAsync(string tokenHash, string kind, long nowMs, CancellationToken cancellationToken = default);

    Task<Page<CertificateRecord>> ListCertificatesAsync(CertificateQuery query, CancellationToken cancellationToken = default);

    /// <summary>Marks the matching live certificates revoked (raising the KRL version when any); returns them.</summary>
    Task<IReadOnlyList<CertificateRecord>> RevokeCertificatesAsync(string? serial, string? username, string actor, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes a plain public key (stored for the KRL) and marks its live certificates revoked, with the
    /// audit event, raising the KRL version when anything changed.
    /// </summary>
    Task<KeyRevocationOutcome> RevokePublicKeyAsync(RevokedKeyRecord key, AuditDraft audit, CancellationToken cancellationToken = default);

    /// <summary>The current KRL version: a counter every revocation raises.</summary>
    Task<long> KrlVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Every revoked certificate's serial and CA, and every revoked key, read at one KRL version.</summary>
    Task<RevocationSnapshot> ReadRevocationsAsync(CancellationToken cancellationToken = default);

    /// <summary>The OpenSSH text of any certificate signed by the CA with this fingerprint (to recover a retired CA's key); null if none.</summary>
    Task<string?> AnyCertificateOfCaAsync(string caFingerprint, CancellationToken cancellationToken = default);

    Task<PolicyVersion?> LatestPolicyAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PolicyVersion>> PolicyHistoryAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new policy version (the next integer) with its audit event.</summary>
    Task<PolicyVersion> SavePolicyAsync(string document, string actor, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default);

    /// <summary>Reads the audit log in sequence order, from the given sequence number.</summary>
    IAsyncEnumerable<AuditEvent> ReadAuditAsync(long fromSeq = 1, CancellationToken cancellationToken = default);
}

/// <summary>An issuance collided with an existing serial.</summary>
public sealed class DuplicateSerialException(string serial) : Exception($"serial {serial} is already used");

/// <summary>The database could not be reached or written; the caller fails closed (503).</summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);
