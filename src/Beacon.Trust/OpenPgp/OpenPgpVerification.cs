namespace Beacon.Trust.OpenPgp;

/// <summary>The outcome of checking a detached signature: valid or not, and why not in one line.</summary>
public sealed record OpenPgpVerification(bool IsValid, string Reason, string? IssuerFingerprint, DateTimeOffset? SignedAt)
{
    public static OpenPgpVerification Invalid(string reason, string? issuer = null) => new(false, reason, issuer, null);
}
