using Beacon.Ssh.Keys;

namespace Beacon.Server.Signing;

/// <summary>
/// Which keys may be certified: Ed25519, ECDSA, or RSA of at least 2048 bits; never a CA's own key.
/// (DSA keys and certificates never get this far: the key parser refuses them.)
/// </summary>
public static class SubjectKeyPolicy
{
    public const int MinRsaBits = 2048;

    /// <summary>Returns null when the key may be certified, or the reason it may not.</summary>
    public static string? Check(SshPublicKey subject, IEnumerable<SshPublicKey> caKeys)
    {
        ArgumentNullException.ThrowIfNull(subject);
        // Certifying a CA's own key would let anyone holding a certificate for it pose as the CA's subject, and blurs who signs what.
        if (caKeys.Contains(subject))
        {
            return $"the key {subject.Fingerprint} is a CA key; a CA never certifies itself";
        }
        return subject switch
        {
            Ed25519PublicKey or EcdsaPublicKey => null,
            // Short RSA moduli can be factored; OpenSSH itself refuses keys below 1024 bits and we ask for more.
            RsaPublicKey rsa when rsa.SizeInBits < MinRsaBits => $"an RSA key of {rsa.SizeInBits} bits; at least {MinRsaBits} are required",
            RsaPublicKey => null,
            _ => $"the key type {subject.KeyType} is not accepted",
        };
    }
}
