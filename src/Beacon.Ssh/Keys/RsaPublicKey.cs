using System.Security.Cryptography;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Keys;

/// <summary>An ssh-rsa public key (RFC 4253 section 6.6): mpint e, mpint n.</summary>
public sealed class RsaPublicKey : SshPublicKey
{
    /// <summary>Sanity bound, not in the spec: OpenSSH refuses moduli above 16384 bits too.</summary>
    public const int MaxModulusBits = 16384;

    private readonly byte[] _exponent;
    private readonly byte[] _modulus;
    private RSA? _verifier;

    /// <param name="exponent">Big-endian unsigned, no sign byte.</param>
    /// <param name="modulus">Big-endian unsigned, no sign byte.</param>
    public RsaPublicKey(ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> modulus)
    {
        _exponent = exponent.TrimStart((byte)0).ToArray();
        _modulus = modulus.TrimStart((byte)0).ToArray();
        if (_modulus.Length == 0 || _exponent.Length == 0)
        {
            throw new SshFormatException("ssh-rsa key: empty exponent or modulus");
        }
        if (_modulus.Length * 8 > MaxModulusBits)
        {
            throw new SshFormatException($"ssh-rsa key: modulus larger than {MaxModulusBits} bits");
        }
        SizeInBits = _modulus.Length * 8 - System.Numerics.BitOperations.LeadingZeroCount((uint)_modulus[0]) + 24;
    }

    public ReadOnlySpan<byte> Exponent => _exponent;

    public ReadOnlySpan<byte> Modulus => _modulus;

    public override string KeyType => SshKeyTypes.Rsa;

    public override int SizeInBits { get; }

    internal RSAParameters Parameters => new() { Exponent = _exponent, Modulus = _modulus };

    internal override void WriteFields(SshWriter writer) => writer.WriteMPIntUnsigned(_exponent).WriteMPIntUnsigned(_modulus);

    internal static RsaPublicKey ReadFields(ref SshReader reader)
    {
        var e = reader.ReadMPIntUnsigned("RSA e");
        var n = reader.ReadMPIntUnsigned("RSA n");
        return new RsaPublicKey(e, n);
    }

    /// <summary>The hash of an RSA signature algorithm, or null for one we refuse (SHA-1 ssh-rsa among them).</summary>
    internal static HashAlgorithmName? HashFor(string algorithm) => algorithm switch
    {
        SshKeyTypes.RsaSha256 => HashAlgorithmName.SHA256,
        SshKeyTypes.RsaSha512 => HashAlgorithmName.SHA512,
        _ => null,
    };

    public override bool Verify(ReadOnlySpan<byte> data, SshSignature signature)
    {
        if (HashFor(signature.Algorithm) is not { } hash)
        {
            return false;
        }
        var verifier = _verifier ??= CreateVerifier();
        try
        {
            lock (verifier)
            {
                return verifier.VerifyData(data, signature.Blob.Span, hash, RSASignaturePadding.Pkcs1);
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private RSA CreateVerifier()
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(Parameters);
        return rsa;
    }
}
