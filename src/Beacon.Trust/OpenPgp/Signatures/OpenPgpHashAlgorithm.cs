using System.Security.Cryptography;

namespace Beacon.Trust.OpenPgp.Signatures;

/// <summary>Hash algorithm IDs (RFC 9580 section 9.5) and which of them a signature may use.</summary>
internal static class OpenPgpHashAlgorithm
{
    public const byte Md5 = 1;
    public const byte Sha1 = 2;
    public const byte Ripemd160 = 3;
    public const byte Sha256 = 8;
    public const byte Sha384 = 9;
    public const byte Sha512 = 10;
    public const byte Sha224 = 11;

    public static string Name(byte algorithm) => algorithm switch
    {
        Md5 => "MD5",
        Sha1 => "SHA-1",
        Ripemd160 => "RIPEMD-160",
        Sha256 => "SHA-256",
        Sha384 => "SHA-384",
        Sha512 => "SHA-512",
        Sha224 => "SHA-224",
        12 => "SHA3-256",
        14 => "SHA3-512",
        _ => $"hash algorithm {algorithm}",
    };

    /// <summary>The .NET hash for an accepted algorithm, or null with the reason it is refused.</summary>
    public static HashAlgorithmName? TryGet(byte algorithm, out string refusal)
    {
        refusal = "";
        switch (algorithm)
        {
            case Sha256:
                return HashAlgorithmName.SHA256;
            case Sha384:
                return HashAlgorithmName.SHA384;
            case Sha512:
                return HashAlgorithmName.SHA512;
            case Md5 or Sha1 or Ripemd160:
                // Collisions are practical (SHA-1: SHAttered, and chosen-prefix for signed data).
                refusal = $"hash algorithm {Name(algorithm)} is refused (broken); sign with SHA-256 or stronger";
                return null;
            default:
                refusal = $"{Name(algorithm)} is not supported (SHA-256, SHA-384 and SHA-512 are)";
                return null;
        }
    }
}
