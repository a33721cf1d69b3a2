namespace Beacon.Trust.OpenPgp.Keys;

/// <summary>Public-key algorithm IDs (RFC 9580 section 9.1) and the Ed25519 curve OID of the legacy EdDSA form.</summary>
internal static class PublicKeyAlgorithm
{
    public const byte Rsa = 1;
    public const byte RsaEncryptOnly = 2;
    public const byte RsaSignOnly = 3;
    public const byte Ecdh = 18;
    public const byte Ecdsa = 19;
    public const byte EdDsaLegacy = 22;
    public const byte Ed25519 = 27;

    /// <summary>1.3.6.1.4.1.11591.15.1 (Ed25519Legacy), DER body without tag and length.</summary>
    public static ReadOnlySpan<byte> Ed25519LegacyOid => [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01];

    /// <summary>RSA keys below this are refused: 2048 bits is the floor every current guideline sets.</summary>
    public const int MinRsaBits = 2048;

    public static string Name(byte algorithm) => algorithm switch
    {
        Rsa => "RSA",
        RsaEncryptOnly => "RSA (encrypt-only)",
        RsaSignOnly => "RSA (sign-only)",
        16 => "ElGamal",
        17 => "DSA",
        Ecdh => "ECDH",
        Ecdsa => "ECDSA",
        EdDsaLegacy => "EdDSA",
        25 => "X25519",
        26 => "X448",
        Ed25519 => "Ed25519",
        28 => "Ed448",
        _ => $"algorithm {algorithm}",
    };
}
