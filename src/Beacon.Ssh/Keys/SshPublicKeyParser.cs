using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Keys;

/// <summary>Parses plain public keys from their wire form and their one-line text form.</summary>
public static class SshPublicKeyParser
{
    /// <summary>Sanity bound, not in the spec: the longest key line we read (an RSA-16384 certificate fits).</summary>
    public const int MaxLineLength = 16 * 1024;

    /// <summary>Parses a public key blob: the type name and its fields, nothing after.</summary>
    /// <exception cref="SshFormatException">Malformed, a certificate, or a type we do not support.</exception>
    public static SshPublicKey ParseBlob(ReadOnlySpan<byte> blob)
    {
        var reader = new SshReader(blob);
        var key = Read(ref reader);
        reader.EnsureEnd("public key");
        return key;
    }

    /// <summary>Reads a public key blob's contents from a reader positioned at its type name.</summary>
    internal static SshPublicKey Read(ref SshReader reader)
    {
        var type = reader.ReadUtf8("key type");
        return ReadFields(ref reader, type);
    }

    /// <summary>Reads the fields of a key of the given type, as embedded in blobs and certificates.</summary>
    internal static SshPublicKey ReadFields(ref SshReader reader, string type) => type switch
    {
        SshKeyTypes.Ed25519 => Ed25519PublicKey.ReadFields(ref reader),
        SshKeyTypes.EcdsaP256 or SshKeyTypes.EcdsaP384 or SshKeyTypes.EcdsaP521 => EcdsaPublicKey.ReadFields(ref reader, type),
        SshKeyTypes.Rsa => RsaPublicKey.ReadFields(ref reader),
        SshKeyTypes.Dsa => throw new SshFormatException("key type: ssh-dss (DSA) is not supported"),
        _ when SshKeyTypes.IsCertificateType(type) => throw new SshFormatException($"key type: \"{type}\" is a certificate, not a plain key"),
        _ => throw new SshFormatException($"key type: unknown \"{Quote(type)}\""),
    };

    /// <summary>Parses "type base64 [comment]" as in a .pub file or authorized_keys (without options).</summary>
    /// <exception cref="SshFormatException">Malformed, or the type named in text differs from the blob's.</exception>
    public static SshPublicKey ParseLine(string line) => ParseLine(line, out _);

    public static SshPublicKey ParseLine(string line, out string? comment)
    {
        var (type, blob, rest) = SshKeyText.Split(line);
        var key = ParseBlob(blob);
        if (key.KeyType != type)
        {
            throw new SshFormatException($"key line: type \"{Quote(type)}\" does not match the encoded {key.KeyType}");
        }
        comment = rest;
        return key;
    }

    internal static string Quote(string value) => value.Length > 64 ? value[..64] + "…" : value;
}

/// <summary>Splits the one-line text form shared by keys and certificates.</summary>
public static class SshKeyText
{
    /// <exception cref="SshFormatException">Not "type base64 [comment]".</exception>
    public static (string Type, byte[] Blob, string? Comment) Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length > SshPublicKeyParser.MaxLineLength)
        {
            throw new SshFormatException($"key line: longer than {SshPublicKeyParser.MaxLineLength} characters");
        }
        var parts = line.Trim().Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            throw new SshFormatException("key line: expected \"type base64 [comment]\"");
        }
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            throw new SshFormatException("key line: the key is not valid base64");
        }
        return (parts[0], blob, parts.Length == 3 ? parts[2].Trim() : null);
    }
}
