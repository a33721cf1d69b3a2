using Beacon.Server.Audit;

namespace Beacon.Server.Storage;

/// <summary>
/// The admin dashboard's reads: searches paged by key (newest first), never by offset or a total
/// count, so a page costs the same with a hundred rows or a hundred thousand.
/// </summary>
public interface IAdminStore
{
    /// <summary>Users whose username or email contains the text, ordered by username; one more than the limit tells whether a next page exists.</summary>
    Task<IReadOnlyList<UserRecord>> SearchUsersAsync(UserSearch search, CancellationToken cancellationToken = default);

    /// <summary>Certificates matching every given filter, newest first, after the cursor.</summary>
    Task<IReadOnlyList<CertificateRecord>> SearchCertificatesAsync(CertificateSearch search, CancellationToken cancellationToken = default);

    /// <summary>Audit events matching every given filter, newest first, before the cursor.</summary>
    Task<IReadOnlyList<AuditEvent>> SearchAuditAsync(AuditSearch search, CancellationToken cancellationToken = default);

    /// <summary>The certificate with this serial, or null.</summary>
    Task<CertificateRecord?> FindCertificateAsync(string serial, CancellationToken cancellationToken = default);
}

/// <summary>A user search: text contained in the username or email, after (username, id).</summary>
public sealed record UserSearch(string? Text, string? AfterUsername, long? AfterId, int Limit);

/// <summary>A certificate search; every filter is optional and they combine with AND.</summary>
/// <param name="IssuedFrom">Unix seconds, inclusive.</param>
/// <param name="IssuedTo">Unix seconds, exclusive.</param>
/// <param name="Status">live, revoked, expired, or null for all (at <paramref name="Now"/>).</param>
/// <param name="AfterIssuedAt">Keyset cursor: the last row of the previous page.</param>
public sealed record CertificateSearch(
    string? Username = null,
    string? Provider = null,
    string? Serial = null,
    string? KeyId = null,
    string? Principal = null,
    long? IssuedFrom = null,
    long? IssuedTo = null,
    string? Status = null,
    long Now = 0,
    long? AfterIssuedAt = null,
    string? AfterSerial = null,
    int Limit = 50);

/// <summary>An audit search; before a sequence number (the cursor), newest first.</summary>
public sealed record AuditSearch(string? Kind, string? Actor, string? Subject, string? Outcome, long? BeforeSeq, int Limit);
