using Beacon.Ssh;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Signing;

/// <summary>
/// Validates the public key a caller asks us to certify. Refused: garbage, DSA, certificates, keys
/// smaller than policy allows, and the CA's own key.
/// </summary>
public static class SubjectKeyValidator
{
    /// <summary>Returns the parsed key, or the reason it is refused (a 400).</summary>
    public static (SshPublicKey? Key, string? Error) Validate(string? text, IReadOnlyDictionary<string, int> allowedTypes, CaKeyRing cas)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "public_key is required");
        }
        SshPublicKey key;
        try
        {
            key = SshPublicKeyParser.ParseLine(text);
        }
        catch (SshFormatException e)
        {
            return (null, $"public_key: {e.Message}");
        }
        if (!allowedTypes.TryGetValue(key.KeyType, out var minimumBits))
        {
            return (null, $"public_key: key type {key.KeyType} is not allowed");
        }
        if (key.SizeInBits < minimumBits)
        {
            return (null, $"public_key: a {key.SizeInBits}-bit {key.KeyType} key is below the minimum of {minimumBits} bits");
        }
        // Certifying the CA's own key would let its holder pose as the CA's subject with the CA's authority.
        if (cas.IsCaKey(key))
        {
            return (null, "public_key: the CA's own key cannot be certified");
        }
        return (key, null);
    }

    /// <summary>True when the text is a certificate rather than a plain key (for a clearer message).</summary>
    public static bool LooksLikeCertificate(string text) =>
        text.TrimStart().Split(' ', 2)[0].EndsWith(SshKeyTypes.CertSuffix, StringComparison.Ordinal);
}
