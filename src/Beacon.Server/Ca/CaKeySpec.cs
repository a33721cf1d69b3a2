using Beacon.Ssh.Keys;

namespace Beacon.Server.Ca;

/// <summary>
/// The key type and size of a CA: Ed25519; ECDSA P-384 (default) or P-256; RSA of 3072 to 8192 bits
/// (default 3072), which signs rsa-sha2-512.
/// </summary>
public sealed record CaKeySpec(SshKeyAlgorithm Algorithm, int Bits)
{
    public const int MinRsaBits = 3072;
    public const int MaxRsaBits = 8192;

    public static readonly CaKeySpec Default = new(SshKeyAlgorithm.Ed25519, 256);

    /// <summary>Parses --type and --bits.</summary>
    /// <exception cref="FormatException">An unknown type or a size the type does not allow, with the reason.</exception>
    public static CaKeySpec Parse(string type, int? bits) => type switch
    {
        "ed25519" when bits is null or 256 => new(SshKeyAlgorithm.Ed25519, 256),
        "ed25519" => throw new FormatException($"--bits: ed25519 keys are 256 bits, not {bits}"),
        "ecdsa" when bits is null => new(SshKeyAlgorithm.Ecdsa, 384),
        "ecdsa" when bits is 256 or 384 => new(SshKeyAlgorithm.Ecdsa, bits.Value),
        "ecdsa" => throw new FormatException($"--bits: ecdsa CA keys are 256 or 384 bits, not {bits}"),
        "rsa" when bits is null => new(SshKeyAlgorithm.Rsa, MinRsaBits),
        // Below 3072 bits RSA falls short of 128-bit security, which a CA key needs for its whole life.
        "rsa" when bits is >= MinRsaBits and <= MaxRsaBits && bits % 8 == 0 => new(SshKeyAlgorithm.Rsa, bits.Value),
        "rsa" => throw new FormatException($"--bits: rsa CA keys are {MinRsaBits} to {MaxRsaBits} bits (a multiple of 8), not {bits}"),
        _ => throw new FormatException($"--type: \"{type}\" is not one of ed25519, ecdsa, rsa"),
    };

    public SshPrivateKey Generate() => SshPrivateKey.Generate(Algorithm, Bits);
}
