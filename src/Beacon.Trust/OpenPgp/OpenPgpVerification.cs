namespace Beacon.Trust.OpenPgp;

/// <summary>The outcome of checking a detached signature: valid or not, and why not in one line.</summary>
/// <param name="IssuerFingerprint">
/// When the signature was made by the key checked against (its primary key or one of its subkeys), that key's
/// primary fingerprint; otherwise the fingerprint (or 16-digit key ID) the signature names, or null.
/// </param>
/// <param name="SignedAt">The signature's creation time, set when valid.</param>
public sealed record OpenPgpVerification(bool IsValid, string Reason, string? IssuerFingerprint, DateTimeOffset? SignedAt)
{
    public static OpenPgpVerification Invalid(string reason, string? issuer = null) => new(false, reason, issuer, null);
}
