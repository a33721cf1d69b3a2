namespace Beacon.Server.Storage;

/// <summary>An enrolled host as stored.</summary>
/// <param name="Id">The host's id, in its certificates' key ID (beacon-host:ID:NAME) and their username column.</param>
/// <param name="HostNames">The names its certificates carry, a JSON array of strings.</param>
/// <param name="HostGroups">The groups its enrollment token granted, a JSON array of strings.</param>
/// <param name="ValidBefore">Unix seconds: the end of its newest certificate.</param>
/// <param name="TokenId">The audit identifier (HMAC) of the token it enrolled with.</param>
public sealed record HostRecord(string Id, string HostNames, string HostGroups, long EnrolledAt, long? RenewedAt, long ValidBefore, string TokenId);

/// <summary>A one-time host enrollment token, stored only as an HMAC.</summary>
public sealed record HostTokenRecord(string TokenHmac, string HostGroups, long CreatedAt, long ExpiresAt, string CreatedBy, long? UsedAt = null);

/// <summary>A renewal challenge, stored only as the SHA-256 of its bytes, bound to one certificate serial.</summary>
public sealed record HostChallengeRecord(string ChallengeHash, string Serial, long CreatedAt, long ExpiresAt, long? UsedAt = null);

/// <summary>Why a one-time value (a token, a challenge) could not be used.</summary>
public enum OneTimeUseFailure
{
    Unknown,
    Used,
    Expired,
}
