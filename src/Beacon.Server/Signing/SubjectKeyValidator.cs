using Beacon.Ssh;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Signing;

/// <summary>
/// Validates the public key a caller asks us to certify: garbage, DSA and certificates are refused by
/// the parser, a CA's own key and short RSA keys by <see cref="SubjectKeyPolicy"/>, and types or sizes
/// the policy does not list here.
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
        if (SubjectKeyPolicy.Check(key, cas.PublicKeys) is { } refused)
        {
            return (null, $"public_key: {refused}");
        }
        if (!allowedTypes.TryGetValue(key.KeyType, out var minimumBits))
        {
            return (null, $"public_key: key type {key.KeyType} is not allowed");
        }
        if (key.SizeInBits < minimumBits)
        {
            return (null, $"public_key: a {key.SizeInBits}-bit {key.KeyType} key is below the minimum of {minimumBits} bits");
        }
        return (key, null);
    }

}
