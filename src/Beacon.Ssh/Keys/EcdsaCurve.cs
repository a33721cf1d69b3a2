using System.Security.Cryptography;

namespace Beacon.Ssh.Keys;

/// <summary>An ECDSA curve as SSH names it (RFC 5656): its key type, curve identifier, field size and hash.</summary>
public sealed record EcdsaCurve(string KeyType, string Identifier, int FieldBytes, int Bits, HashAlgorithmName Hash, ECCurve Curve)
{
    public static readonly EcdsaCurve P256 = new(SshKeyTypes.EcdsaP256, "nistp256", 32, 256, HashAlgorithmName.SHA256, ECCurve.NamedCurves.nistP256);
    public static readonly EcdsaCurve P384 = new(SshKeyTypes.EcdsaP384, "nistp384", 48, 384, HashAlgorithmName.SHA384, ECCurve.NamedCurves.nistP384);
    public static readonly EcdsaCurve P521 = new(SshKeyTypes.EcdsaP521, "nistp521", 66, 521, HashAlgorithmName.SHA512, ECCurve.NamedCurves.nistP521);

    public static IReadOnlyList<EcdsaCurve> All { get; } = [P256, P384, P521];

    public static EcdsaCurve? ForKeyType(string keyType) => All.FirstOrDefault(c => c.KeyType == keyType);

    public static EcdsaCurve? ForBits(int bits) => All.FirstOrDefault(c => c.Bits == bits);

    /// <summary>The uncompressed point length: 0x04, X and Y.</summary>
    public int PointLength => 1 + 2 * FieldBytes;
}
