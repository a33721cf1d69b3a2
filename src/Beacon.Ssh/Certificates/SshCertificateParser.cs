using Beacon.Ssh.Keys;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Certificates;

/// <summary>
/// Parses certificates and enforces the format's rules at parse time: a known type, a key matching
/// the certificate type, options in lexical order and each once, a CA key that is a plain key,
/// and no trailing bytes.
/// </summary>
public static class SshCertificateParser
{
    /// <summary>Sanity bound from OpenSSH (SSHKEY_CERT_MAX_PRINCIPALS), not in the spec.</summary>
    public const int MaxPrincipals = 256;

    /// <summary>Sanity bound, not in the spec: options per section.</summary>
    public const int MaxOptions = 64;

    /// <summary>Parses the one-line text form "type base64 [comment]".</summary>
    /// <exception cref="SshFormatException">Malformed, or the text type differs from the encoded one.</exception>
    public static SshCertificate ParseLine(string line) => ParseLine(line, out _);

    public static SshCertificate ParseLine(string line, out string? comment)
    {
        var (type, blob, rest) = SshKeyText.Split(line);
        var certificate = ParseBlob(blob);
        if (certificate.CertificateType != type)
        {
            throw new SshFormatException($"certificate line: type \"{SshPublicKeyParser.Quote(type)}\" does not match the encoded {certificate.CertificateType}");
        }
        comment = rest;
        return certificate;
    }

    /// <summary>Parses a certificate's wire form.</summary>
    /// <exception cref="SshFormatException">Malformed or breaking a rule of the format.</exception>
    public static SshCertificate ParseBlob(ReadOnlySpan<byte> blob) => ParseBlob(blob, knownSubject: null, knownSignatureKey: null);

    /// <summary>
    /// Parses as <see cref="ParseBlob(ReadOnlySpan{byte})"/> does, except that where the certified key's
    /// or the CA key's encoding is byte for byte that of a key the caller already holds, that instance
    /// is used rather than parsed again (an ECDSA key import costs more than all the rest of a
    /// certificate). Every other field is parsed and checked; the result equals a plain parse.
    /// </summary>
    internal static SshCertificate ParseBlob(ReadOnlySpan<byte> blob, SshPublicKey? knownSubject, SshPublicKey? knownSignatureKey)
    {
        var reader = new SshReader(blob);
        var certType = reader.ReadUtf8("certificate type");
        if (!SshKeyTypes.IsCertificateType(certType))
        {
            throw new SshFormatException($"certificate type: \"{SshPublicKeyParser.Quote(certType)}\" is not a certificate type");
        }
        var nonce = reader.ReadBytes("nonce");
        var keyType = SshKeyTypes.KeyTypeOfCertificate(certType);
        var publicKey = ReadSubjectKey(ref reader, keyType, knownSubject);
        var serial = reader.ReadUInt64("serial");
        var type = reader.ReadUInt32("type");
        if (type is not ((uint)SshCertificateType.User or (uint)SshCertificateType.Host))
        {
            throw new SshFormatException($"type: {type} is neither user (1) nor host (2)");
        }
        var keyId = reader.ReadUtf8("key id");
        var principals = ReadPrincipals(reader.ReadStringSpan("valid principals"));
        var validAfter = reader.ReadUInt64("valid after");
        var validBefore = reader.ReadUInt64("valid before");
        var critical = ReadOptions(reader.ReadStringSpan("critical options"), "critical option");
        var extensions = ReadOptions(reader.ReadStringSpan("extensions"), "extension");
        var reserved = reader.ReadBytes("reserved");
        var signatureKeyBlob = reader.ReadStringSpan("signature key");
        var signedLength = reader.Position;
        var signature = SshSignature.Parse(reader.ReadStringSpan("signature"));
        reader.EnsureEnd("certificate");

        SshPublicKey signatureKey;
        try
        {
            signatureKey = knownSignatureKey is not null && signatureKeyBlob.SequenceEqual(knownSignatureKey.Blob)
                ? knownSignatureKey
                : SshPublicKeyParser.ParseBlob(signatureKeyBlob);
        }
        catch (SshFormatException e) when (IsCertificateBlob(signatureKeyBlob))
        {
            // The spec forbids chains: a CA key must be a plain key, never a certificate.
            throw new SshFormatException("signature key: a certificate signed by a certificate is not allowed", e);
        }

        return new SshCertificate(blob.ToArray(), signedLength, nonce, publicKey, serial, (SshCertificateType)type, keyId,
            principals, validAfter, validBefore, critical, extensions, reserved, signatureKey, signature);
    }

    private static SshPublicKey ReadSubjectKey(ref SshReader reader, string keyType, SshPublicKey? known)
    {
        if (known is not null && known.KeyType == keyType)
        {
            // A key's blob is its type name (an SSH string) followed by the fields a certificate embeds.
            var fields = known.Blob[(4 + System.Text.Encoding.UTF8.GetByteCount(keyType))..];
            if (reader.Rest.StartsWith(fields))
            {
                reader.Skip(fields.Length, "public key");
                return known;
            }
        }
        return SshPublicKeyParser.ReadFields(ref reader, keyType);
    }

    private static List<string> ReadPrincipals(ReadOnlySpan<byte> data)
    {
        var reader = new SshReader(data);
        var principals = new List<string>();
        while (!reader.AtEnd)
        {
            if (principals.Count == MaxPrincipals)
            {
                throw new SshFormatException($"valid principals: more than {MaxPrincipals}");
            }
            principals.Add(reader.ReadUtf8("principal"));
        }
        return principals;
    }

    private static List<SshCertificateOption> ReadOptions(ReadOnlySpan<byte> data, string kind)
    {
        var reader = new SshReader(data);
        var options = new List<SshCertificateOption>();
        while (!reader.AtEnd)
        {
            if (options.Count == MaxOptions)
            {
                throw new SshFormatException($"{kind}s: more than {MaxOptions}");
            }
            var name = reader.ReadUtf8($"{kind} name");
            var value = reader.ReadBytes($"{kind} {name}");
            // The spec requires lexical order with each name once; OpenSSH refuses anything else.
            if (options.Count > 0 && SshCertificateOptions.CompareNames(options[^1].Name, name) >= 0)
            {
                throw new SshFormatException($"{kind} \"{SshPublicKeyParser.Quote(name)}\": out of order or repeated after \"{options[^1].Name}\"");
            }
            options.Add(new SshCertificateOption(name, value));
        }
        return options;
    }

    private static bool IsCertificateBlob(ReadOnlySpan<byte> blob)
    {
        try
        {
            var reader = new SshReader(blob);
            return SshKeyTypes.IsCertificateType(reader.ReadUtf8("type"));
        }
        catch (SshFormatException)
        {
            return false;
        }
    }
}
