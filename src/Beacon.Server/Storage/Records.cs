namespace Beacon.Server.Storage;

/// <summary>An internal user: an identity as its provider names it.</summary>
public sealed record UserRecord(
    long Id,
    string Provider,
    string Subject,
    string Username,
    string? Email,
    long FirstSeen,
    long LastSeen,
    long DisabledFlag,
    string? DisabledReason)
{
    /// <summary>A disabled user is refused on every request.</summary>
    public bool Disabled => DisabledFlag != 0;
}

/// <summary>One issued certificate as stored: enough to list, audit and revoke it, never a private key.</summary>
public sealed record CertificateRecord(
    string Serial,
    string CertType,
    long? UserId,
    string Username,
    string Provider,
    string KeyId,
    string Principals,
    string? HostGroup,
    string PublicKeyFingerprint,
    string CaFingerprint,
    long ValidAfter,
    long ValidBefore,
    long IssuedAt,
    string? ClientAddress,
    string RequestId,
    string Certificate,
    long? RevokedAt = null,
    string? RevokedBy = null);

/// <summary>A single-use token, stored only as a hash.</summary>
public sealed record OneTimeTokenRecord(
    string TokenHash,
    string Kind,
    string Username,
    string Principals,
    long CreatedAt,
    long ExpiresAt,
    long? UsedAt = null);

/// <summary>One version of the stored policy document.</summary>
public sealed record PolicyVersion(long Version, string Document, long CreatedAt, string CreatedBy);

/// <summary>A query over issued certificates, paged by issue time (newest first).</summary>
public sealed record CertificateQuery(
    string? Username = null,
    string? Serial = null,
    string? KeyId = null,
    string? Principal = null,
    bool? LiveOnly = null,
    long? Now = null,
    int Limit = 50,
    int Offset = 0);

/// <summary>A page of results and the total count.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int Limit, int Offset);
