using Beacon.Trust.OpenPgp.Signatures;

namespace Beacon.Trust.OpenPgp.Keys;

/// <summary>
/// A key with the self-signature that gives it its usage and lifetime: the primary key with its latest valid
/// self-certification, or a subkey with its latest valid binding signature.
/// </summary>
internal sealed record BoundKey(PublicKeyPacket Key, SignaturePacket Binding, bool Revoked, bool IsPrimary)
{
    /// <summary>Null when this key may make a signature at <paramref name="signedAt"/> checked at <paramref name="now"/>, else why not.</summary>
    public string? RefusalToSign(DateTimeOffset signedAt, DateTimeOffset now)
    {
        var name = $"{(IsPrimary ? "key" : "subkey")} 0x{Key.Fingerprint}";
        if (Key.UnsupportedReason is { } unsupported)
        {
            return unsupported;
        }
        // A revoked key signs nothing, whenever the signature claims to be made: the revocation may answer a theft.
        if (Revoked)
        {
            return $"{name} is revoked";
        }
        // Without key flags the primary key's usage follows its algorithm (RFC 9580 section 5.2.3.29); a subkey must say it signs.
        var flags = Binding.KeyFlags;
        if (flags is { } value ? (value & Subpacket.KeyFlagSign) == 0 : !IsPrimary)
        {
            return $"{name} is not allowed to sign (key flags)";
        }
        if (signedAt < Key.Created)
        {
            return $"the signature was made before {name} was created";
        }
        if (Binding.KeyExpirationSeconds is { } seconds and > 0)
        {
            var expires = Key.Created.AddSeconds(seconds);
            if (now >= expires || signedAt >= expires)
            {
                return $"{name} expired on {expires.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z";
            }
        }
        if (Binding.Created is { } bound && Binding.ExpirationSeconds is { } bindingSeconds and > 0 && now >= bound.AddSeconds(bindingSeconds))
        {
            return $"the self-signature of {name} expired";
        }
        return null;
    }
}
