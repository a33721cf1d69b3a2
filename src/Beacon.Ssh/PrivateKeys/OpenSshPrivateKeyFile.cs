using System.Security.Cryptography;
using System.Text;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.PrivateKeys;

/// <summary>
/// The openssh-key-v1 private key file (PROTOCOL.key), unencrypted only. Encrypted user keys are made
/// and loaded by OpenSSH's own ssh-keygen and ssh-add; this library never implements bcrypt-pbkdf.
/// </summary>
public static class OpenSshPrivateKeyFile
{
    private const string Begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private const string End = "-----END OPENSSH PRIVATE KEY-----";
    private static ReadOnlySpan<byte> Magic => "openssh-key-v1\0"u8;

    /// <summary>Sanity bound, not in the spec: larger than any single-key file OpenSSH writes.</summary>
    public const int MaxFileLength = 64 * 1024;

    /// <summary>The cipher block size for "none" (PROTOCOL.key pads the private section to it).</summary>
    private const int BlockSize = 8;

    /// <summary>Writes the PEM-armoured file text, wrapped at 70 columns as ssh-keygen does.</summary>
    public static string Write(SshPrivateKey key, string comment = "")
    {
        var check = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        var section = new SshWriter();
        section.WriteUInt32(check).WriteUInt32(check).WriteString(key.PublicKey.KeyType);
        key.WritePrivateFields(section);
        section.WriteString(comment);
        for (byte pad = 1; section.Length % BlockSize != 0; pad++)
        {
            section.WriteByte(pad);
        }

        var file = new SshWriter();
        file.WriteRaw(Magic).WriteString("none").WriteString("none").WriteString(ReadOnlySpan<byte>.Empty)
            .WriteUInt32(1).WriteString(key.PublicKey.Blob).WriteString(section);
        var sectionBytes = section.WrittenSpan;
        var base64 = Convert.ToBase64String(file.WrittenSpan);
        CryptographicOperations.ZeroMemory(MemoryMarshalHelpers.AsWritable(sectionBytes));

        var text = new StringBuilder(base64.Length + 100);
        text.Append(Begin).Append('\n');
        for (var i = 0; i < base64.Length; i += 70)
        {
            text.Append(base64, i, Math.Min(70, base64.Length - i)).Append('\n');
        }
        text.Append(End).Append('\n');
        return text.ToString();
    }

    /// <summary>Reads an unencrypted openssh-key-v1 file.</summary>
    /// <exception cref="SshFormatException">Malformed, encrypted, more than one key, or inconsistent.</exception>
    public static SshPrivateKey Read(string text) => Read(text, out _);

    public static SshPrivateKey Read(string text, out string comment)
    {
        var data = Unarmor(text);
        try
        {
            return Parse(data, out comment);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    /// <summary>
    /// Reads what an openssh-key-v1 file shows without decrypting it: the cipher, the KDF and the
    /// public key, which the format stores in clear even in an encrypted file.
    /// </summary>
    /// <exception cref="SshFormatException">Malformed, or more than one key.</exception>
    public static OpenSshPrivateKeyEnvelope ReadEnvelope(string text)
    {
        var data = Unarmor(text);
        try
        {
            var reader = ReadHeader(data, out var cipher, out var kdf);
            var publicKey = ReadPublicKeyAndSection(ref reader, out _, AuthenticationTagLength(cipher));
            return new OpenSshPrivateKeyEnvelope(cipher, kdf, publicKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    private static byte[] Unarmor(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxFileLength)
        {
            throw new SshFormatException($"private key file: longer than {MaxFileLength} characters");
        }
        var trimmed = text.Trim();
        if (!trimmed.StartsWith(Begin, StringComparison.Ordinal) || !trimmed.EndsWith(End, StringComparison.Ordinal)
            || trimmed.Length < Begin.Length + End.Length)
        {
            throw new SshFormatException("private key file: not an OPENSSH PRIVATE KEY block");
        }
        var body = trimmed[Begin.Length..^End.Length];
        try
        {
            return Convert.FromBase64String(body);
        }
        catch (FormatException)
        {
            throw new SshFormatException("private key file: the body is not valid base64");
        }
    }

    private static SshReader ReadHeader(ReadOnlySpan<byte> data, out string cipher, out string kdf)
    {
        if (!data.StartsWith(Magic))
        {
            throw new SshFormatException("private key file: missing the openssh-key-v1 magic");
        }
        var reader = new SshReader(data[Magic.Length..]);
        cipher = reader.ReadUtf8("cipher name");
        kdf = reader.ReadUtf8("kdf name");
        reader.ReadStringSpan("kdf options");
        return reader;
    }

    /// <summary>
    /// The AEAD ciphers (PROTOCOL.key, PROTOCOL.chacha20poly1305) append a 16-byte tag after the
    /// encrypted section; every other cipher appends nothing.
    /// </summary>
    private static int AuthenticationTagLength(string cipher) =>
        cipher is "aes128-gcm@openssh.com" or "aes256-gcm@openssh.com" or "chacha20-poly1305@openssh.com" ? 16 : 0;

    private static SshPublicKey ReadPublicKeyAndSection(ref SshReader reader, out ReadOnlySpan<byte> section, int tagLength)
    {
        var count = reader.ReadUInt32("key count");
        if (count != 1)
        {
            throw new SshFormatException($"private key file: {count} keys, expected exactly 1");
        }
        var publicKey = SshPublicKeyParser.ParseBlob(reader.ReadStringSpan("public key"));
        section = reader.ReadStringSpan("private section");
        if (tagLength > 0 && reader.Remaining == tagLength)
        {
            return publicKey;
        }
        reader.EnsureEnd("private key file");
        return publicKey;
    }

    private static SshPrivateKey Parse(ReadOnlySpan<byte> data, out string comment)
    {
        var reader = ReadHeader(data, out var cipher, out var kdf);
        if (cipher != "none" || kdf != "none")
        {
            throw new SshFormatException($"private key file: encrypted with {SshPublicKeyParser.Quote(cipher)}; load it with ssh-add or decrypt it with ssh-keygen -p");
        }
        var publicKey = ReadPublicKeyAndSection(ref reader, out var section, tagLength: 0);
        if (section.Length % BlockSize != 0)
        {
            throw new SshFormatException($"private section: {section.Length} bytes is not a multiple of {BlockSize}");
        }

        var inner = new SshReader(section);
        if (inner.ReadUInt32("check1") != inner.ReadUInt32("check2"))
        {
            throw new SshFormatException("private section: check integers differ (a wrong passphrase or corruption)");
        }
        var type = inner.ReadUtf8("private key type");
        var key = SshPrivateKey.ReadPrivateKeyFields(ref inner, type);
        try
        {
            comment = inner.ReadUtf8("comment");
            // Padding is 1, 2, 3, ... up to the block size; anything else is corruption.
            var padding = inner.Rest;
            for (var i = 0; i < padding.Length; i++)
            {
                if (padding[i] != i + 1 || padding.Length >= BlockSize)
                {
                    throw new SshFormatException("private section: bad padding");
                }
            }
            if (!key.PublicKey.Equals(publicKey))
            {
                throw new SshFormatException("private key file: the public key does not match the private key");
            }
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}

/// <summary>The clear part of an openssh-key-v1 file: how it is encrypted and its public key.</summary>
public sealed record OpenSshPrivateKeyEnvelope(string Cipher, string Kdf, SshPublicKey PublicKey)
{
    /// <summary>Whether the private section is encrypted (any cipher but "none").</summary>
    public bool IsEncrypted => Cipher != "none";
}
