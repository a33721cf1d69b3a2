using System.Security.Cryptography;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Keys;

/// <summary>An ecdsa-sha2-* public key (RFC 5656 section 3.1): string curve identifier, string Q (uncompressed point).</summary>
public sealed class EcdsaPublicKey : SshPublicKey
{
    private readonly byte[] _point;
    private ECDsa? _verifier;

    /// <exception cref="SshFormatException">The point is not an uncompressed point on the curve.</exception>
    public EcdsaPublicKey(EcdsaCurve curve, ReadOnlySpan<byte> point)
    {
        if (point.Length != curve.PointLength || point[0] != 0x04)
        {
            throw new SshFormatException($"{curve.KeyType} key: not an uncompressed {curve.Identifier} point ({point.Length} bytes)");
        }
        Curve = curve;
        _point = point.ToArray();
        try
        {
            // Importing checks that the point is on the curve; an off-curve point is an invalid-curve attack.
            _verifier = ECDsa.Create(Parameters);
        }
        catch (CryptographicException)
        {
            throw new SshFormatException($"{curve.KeyType} key: the point is not on {curve.Identifier}");
        }
    }

    public EcdsaCurve Curve { get; }

    public ReadOnlySpan<byte> Point => _point;

    public override string KeyType => Curve.KeyType;

    public override int SizeInBits => Curve.Bits;

    internal ECParameters Parameters => new()
    {
        Curve = Curve.Curve,
        Q = new ECPoint
        {
            X = _point.AsSpan(1, Curve.FieldBytes).ToArray(),
            Y = _point.AsSpan(1 + Curve.FieldBytes, Curve.FieldBytes).ToArray(),
        },
    };

    internal override void WriteFields(SshWriter writer) => writer.WriteString(Curve.Identifier).WriteString(_point);

    internal static EcdsaPublicKey ReadFields(ref SshReader reader, string keyType)
    {
        var curve = EcdsaCurve.ForKeyType(keyType) ?? throw new SshFormatException($"key type: unknown ECDSA type \"{keyType}\"");
        var identifier = reader.ReadUtf8("ECDSA curve");
        if (identifier != curve.Identifier)
        {
            // RFC 5656: the curve named inside must match the key type.
            throw new SshFormatException($"ECDSA curve: \"{identifier}\" does not match key type {keyType}");
        }
        return new EcdsaPublicKey(curve, reader.ReadStringSpan("ECDSA point"));
    }

    public override bool Verify(ReadOnlySpan<byte> data, SshSignature signature)
    {
        if (signature.Algorithm != KeyType)
        {
            return false;
        }
        Span<byte> p1363 = stackalloc byte[2 * Curve.FieldBytes];
        if (!EcdsaSignatureBlob.TryToP1363(signature.Blob.Span, Curve.FieldBytes, p1363))
        {
            return false;
        }
        var verifier = _verifier ??= ECDsa.Create(Parameters);
        lock (verifier)
        {
            return verifier.VerifyData(data, p1363, Curve.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }
}

/// <summary>The ECDSA signature blob (RFC 5656 section 3.1.2): mpint r, mpint s.</summary>
internal static class EcdsaSignatureBlob
{
    public static byte[] FromP1363(ReadOnlySpan<byte> p1363)
    {
        var half = p1363.Length / 2;
        var writer = new SshWriter(p1363.Length + 16);
        writer.WriteMPIntUnsigned(p1363[..half]).WriteMPIntUnsigned(p1363[half..]);
        return writer.ToArray();
    }

    public static bool TryToP1363(ReadOnlySpan<byte> blob, int fieldBytes, Span<byte> output)
    {
        try
        {
            var reader = new SshReader(blob);
            var r = reader.ReadMPIntUnsigned("ECDSA r");
            var s = reader.ReadMPIntUnsigned("ECDSA s");
            if (!reader.AtEnd || r.Length > fieldBytes || s.Length > fieldBytes)
            {
                return false;
            }
            output.Clear();
            r.CopyTo(output[(fieldBytes - r.Length)..fieldBytes]);
            s.CopyTo(output[(2 * fieldBytes - s.Length)..]);
            return true;
        }
        catch (SshFormatException)
        {
            return false;
        }
    }
}
