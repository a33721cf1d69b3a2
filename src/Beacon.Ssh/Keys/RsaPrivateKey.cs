using System.Numerics;
using System.Security.Cryptography;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Keys;

/// <summary>An RSA private key. It signs rsa-sha2-256 or rsa-sha2-512 only, never SHA-1 ssh-rsa.</summary>
public sealed class RsaPrivateKey : SshPrivateKey
{
    public const int MinBits = 2048;

    private readonly RSA _rsa;
    private readonly RsaPublicKey _publicKey;

    private RsaPrivateKey(RSA rsa)
    {
        _rsa = rsa;
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        _publicKey = new RsaPublicKey(parameters.Exponent, parameters.Modulus);
    }

    public static RsaPrivateKey Generate(int bits)
    {
        if (bits < MinBits || bits > RsaPublicKey.MaxModulusBits)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), $"RSA keys are {MinBits} to {RsaPublicKey.MaxModulusBits} bits");
        }
        return new RsaPrivateKey(RSA.Create(bits));
    }

    public override SshPublicKey PublicKey => _publicKey;

    public override string DefaultSignatureAlgorithm => SshKeyTypes.RsaSha512;

    public override SshSignature Sign(ReadOnlySpan<byte> data, string algorithm)
    {
        // SHA-1 "ssh-rsa" signatures are refused here on purpose: OpenSSH has deprecated them.
        var hash = RsaPublicKey.HashFor(algorithm) ?? throw new ArgumentException($"RSA keys sign rsa-sha2-256 or rsa-sha2-512, not {algorithm}", nameof(algorithm));
        var signature = _rsa.SignData(data.ToArray(), hash, RSASignaturePadding.Pkcs1);
        return new SshSignature(algorithm, signature);
    }

    // PROTOCOL.key / RFC 9987: mpint n, mpint e, mpint d, mpint iqmp, mpint p, mpint q.
    internal override void WritePrivateFields(SshWriter writer)
    {
        var p = _rsa.ExportParameters(includePrivateParameters: true);
        try
        {
            writer.WriteMPIntUnsigned(p.Modulus).WriteMPIntUnsigned(p.Exponent).WriteMPIntUnsigned(p.D)
                .WriteMPIntUnsigned(p.InverseQ).WriteMPIntUnsigned(p.P).WriteMPIntUnsigned(p.Q);
        }
        finally
        {
            Zero(p);
        }
    }

    // After a certificate: mpint d, mpint iqmp, mpint p, mpint q (n and e are in the certificate).
    internal override void WritePrivateFieldsAfterCertificate(SshWriter writer)
    {
        var p = _rsa.ExportParameters(includePrivateParameters: true);
        try
        {
            writer.WriteMPIntUnsigned(p.D).WriteMPIntUnsigned(p.InverseQ).WriteMPIntUnsigned(p.P).WriteMPIntUnsigned(p.Q);
        }
        finally
        {
            Zero(p);
        }
    }

    internal static RsaPrivateKey ReadPrivateFields(ref SshReader reader)
    {
        var n = reader.ReadMPIntUnsigned("RSA n").ToArray();
        var e = reader.ReadMPIntUnsigned("RSA e").ToArray();
        var d = reader.ReadBigInteger("RSA d");
        var iqmp = reader.ReadBigInteger("RSA iqmp");
        var p = reader.ReadBigInteger("RSA p");
        var q = reader.ReadBigInteger("RSA q");
        _ = new RsaPublicKey(e, n); // bounds and emptiness checks
        // p or q of 0 or 1 is never a prime factor, and d mod (p - 1) below would divide by zero.
        if (n.Length * 8 < MinBits || p <= BigInteger.One || q <= BigInteger.One || d.IsZero)
        {
            throw new SshFormatException($"RSA private key: {n.Length * 8}-bit modulus, or a zero d, or a prime factor below 2");
        }
        var half = (n.Length + 1) / 2;
        var parameters = new RSAParameters
        {
            Modulus = n,
            Exponent = e,
            D = Fixed(d, n.Length),
            P = Fixed(p, half),
            Q = Fixed(q, half),
            DP = Fixed(d % (p - BigInteger.One), half),
            DQ = Fixed(d % (q - BigInteger.One), half),
            InverseQ = Fixed(iqmp, half),
        };
        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(parameters);
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            throw new SshFormatException("RSA private key: the components are inconsistent");
        }
        finally
        {
            Zero(parameters);
        }
        return new RsaPrivateKey(rsa);
    }

    private static byte[] Fixed(BigInteger value, int length)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length > length)
        {
            throw new SshFormatException("RSA private key: a component is larger than the modulus allows");
        }
        var output = new byte[length];
        bytes.CopyTo(output, length - bytes.Length);
        return output;
    }

    private static void Zero(RSAParameters p)
    {
        foreach (var a in new[] { p.D, p.P, p.Q, p.DP, p.DQ, p.InverseQ })
        {
            if (a is not null)
            {
                CryptographicOperations.ZeroMemory(a);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rsa.Dispose();
        }
    }
}
