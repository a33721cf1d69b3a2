using System.Security.Cryptography;
using System.Text;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.SshSig;

/// <summary>
/// The wire layout of PROTOCOL.sshsig: the signature blob, the bytes a key signs, and the armor.
/// <code>
/// blob:     byte[6] "SSHSIG", uint32 version 1, string publickey, string namespace, string reserved,
///           string hash_algorithm, string signature
/// signed:   byte[6] "SSHSIG", string namespace, string reserved, string hash_algorithm, string H(message)
/// </code>
/// </summary>
public static class SshSigFormat
{
    public const uint Version = 1;

    public const string Sha256 = "sha256";

    public const string Sha512 = "sha512";

    public const string BeginArmor = "-----BEGIN SSH SIGNATURE-----";

    public const string EndArmor = "-----END SSH SIGNATURE-----";

    /// <summary>ssh-keygen wraps the armored base64 at 70 columns.</summary>
    public const int ArmorLineLength = 70;

    /// <summary>Sanity bound, not in the spec: an RSA-16384 signature with its key is under 5 KiB of blob.</summary>
    public const int MaxBlobLength = 16 * 1024;

    /// <summary>Sanity bound, not in the spec: the armored text of the largest blob, with generous whitespace.</summary>
    public const int MaxArmoredLength = MaxBlobLength * 2;

    /// <summary>Sanity bound, not in the spec: a namespace is a short domain-like name.</summary>
    public const int MaxNamespaceLength = 256;

    internal static ReadOnlySpan<byte> Magic => "SSHSIG"u8;

    /// <summary>The bytes the key signs for a message under a namespace (the "signed data" of PROTOCOL.sshsig section 3).</summary>
    /// <exception cref="ArgumentException">The hash algorithm is not sha256 or sha512.</exception>
    public static byte[] BytesToSign(ReadOnlySpan<byte> message, string @namespace, ReadOnlySpan<byte> reserved, string hashAlgorithm) =>
        BytesToSignOfHash(Hash(message, hashAlgorithm), @namespace, reserved, hashAlgorithm);

    internal static byte[] BytesToSignOfHash(ReadOnlySpan<byte> messageHash, string @namespace, ReadOnlySpan<byte> reserved, string hashAlgorithm)
    {
        var writer = new SshWriter(messageHash.Length + @namespace.Length + reserved.Length + 32);
        writer.WriteRaw(Magic).WriteString(@namespace).WriteString(reserved).WriteString(hashAlgorithm).WriteString(messageHash);
        return writer.ToArray();
    }

    /// <summary>The message's hash under a named algorithm.</summary>
    /// <exception cref="ArgumentException">Not sha256 or sha512.</exception>
    public static byte[] Hash(ReadOnlySpan<byte> message, string hashAlgorithm) => hashAlgorithm switch
    {
        Sha256 => SHA256.HashData(message),
        Sha512 => SHA512.HashData(message),
        _ => throw new ArgumentException($"hash algorithm \"{hashAlgorithm}\" is not sha256 or sha512", nameof(hashAlgorithm)),
    };

    /// <summary>Hashes a stream (a large message) under a named algorithm.</summary>
    /// <exception cref="ArgumentException">Not sha256 or sha512.</exception>
    public static byte[] Hash(Stream message, string hashAlgorithm) => hashAlgorithm switch
    {
        Sha256 => SHA256.HashData(message),
        Sha512 => SHA512.HashData(message),
        _ => throw new ArgumentException($"hash algorithm \"{hashAlgorithm}\" is not sha256 or sha512", nameof(hashAlgorithm)),
    };

    internal static byte[] Encode(SshSignatureFile signature)
    {
        var writer = new SshWriter(512);
        writer.WriteRaw(Magic).WriteUInt32(Version).WriteString(signature.PublicKey.Blob).WriteString(signature.Namespace)
            .WriteString(signature.Reserved.Span).WriteString(signature.HashAlgorithm).WriteString(signature.Signature.ToWire());
        return writer.ToArray();
    }

    internal static string Armor(ReadOnlySpan<byte> blob)
    {
        var base64 = Convert.ToBase64String(blob);
        var text = new StringBuilder(base64.Length + base64.Length / ArmorLineLength + BeginArmor.Length + EndArmor.Length + 8);
        text.Append(BeginArmor).Append('\n');
        for (var i = 0; i < base64.Length; i += ArmorLineLength)
        {
            text.Append(base64, i, Math.Min(ArmorLineLength, base64.Length - i)).Append('\n');
        }
        return text.Append(EndArmor).Append('\n').ToString();
    }
}
