using System.Security.Cryptography;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Keys;

/// <summary>An ECDSA private key on P-256, P-384 or P-521, signing through System.Security.Cryptography.</summary>
public sealed class EcdsaPrivateKey : SshPrivateKey
{
    private readonly ECDsa _ecdsa;
    private readonly EcdsaPublicKey _publicKey;

    private EcdsaPrivateKey(EcdsaCurve curve, ECDsa ecdsa)
    {
        _ecdsa = ecdsa;
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        var point = new byte[curve.PointLength];
        point[0] = 0x04;
        parameters.Q.X!.CopyTo(point, 1);
        parameters.Q.Y!.CopyTo(point, 1 + curve.FieldBytes);
        _publicKey = new EcdsaPublicKey(curve, point);
    }

    public static EcdsaPrivateKey Generate(EcdsaCurve curve) => new(curve, ECDsa.Create(curve.Curve));

    public override SshPublicKey PublicKey => _publicKey;

    public override SshSignature Sign(ReadOnlySpan<byte> data, string algorithm)
    {
        if (algorithm != _publicKey.KeyType)
        {
            throw new ArgumentException($"a {_publicKey.KeyType} key cannot sign {algorithm}", nameof(algorithm));
        }
        var p1363 = _ecdsa.SignData(data, _publicKey.Curve.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new SshSignature(algorithm, EcdsaSignatureBlob.FromP1363(p1363));
    }

    // PROTOCOL.key / RFC 9987: string curve, string Q, mpint d.
    internal override void WritePrivateFields(SshWriter writer)
    {
        var parameters = _ecdsa.ExportParameters(includePrivateParameters: true);
        try
        {
            writer.WriteString(_publicKey.Curve.Identifier).WriteString(_publicKey.Point).WriteMPIntUnsigned(parameters.D);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    // After a certificate: mpint d only (the curve and point are in the certificate).
    internal override void WritePrivateFieldsAfterCertificate(SshWriter writer)
    {
        var parameters = _ecdsa.ExportParameters(includePrivateParameters: true);
        try
        {
            writer.WriteMPIntUnsigned(parameters.D);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    internal static EcdsaPrivateKey ReadPrivateFields(ref SshReader reader, string type)
    {
        var publicKey = EcdsaPublicKey.ReadFields(ref reader, type);
        var curve = publicKey.Curve;
        var d = reader.ReadMPIntUnsigned("ECDSA private scalar");
        if (d.Length == 0 || d.Length > curve.FieldBytes)
        {
            throw new SshFormatException($"ECDSA private scalar: {d.Length} bytes for {curve.Identifier}");
        }
        var parameters = publicKey.Parameters;
        parameters.D = new byte[curve.FieldBytes];
        d.CopyTo(parameters.D.AsSpan(curve.FieldBytes - d.Length));
        ECDsa ecdsa;
        try
        {
            // Import validates that d and Q belong together.
            ecdsa = ECDsa.Create(parameters);
        }
        catch (CryptographicException)
        {
            throw new SshFormatException($"ECDSA private key: the private scalar does not match the public point");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
        return new EcdsaPrivateKey(curve, ecdsa);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ecdsa.Dispose();
        }
    }
}
