using System.Security.Cryptography;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Keys;

/// <summary>
/// A plain (non-certificate) SSH public key. Immutable; equality is by wire encoding.
/// Parsing lives in <see cref="SshPublicKeyParser"/>.
/// </summary>
public abstract class SshPublicKey : IEquatable<SshPublicKey>
{
    private byte[]? _blob;

    /// <summary>The key type name, e.g. ssh-ed25519.</summary>
    public abstract string KeyType { get; }

    /// <summary>The key size in bits: 256 for Ed25519, the curve size for ECDSA, the modulus size for RSA.</summary>
    public abstract int SizeInBits { get; }

    /// <summary>The wire encoding: the type name followed by the key fields.</summary>
    public ReadOnlySpan<byte> Blob => _blob ??= BuildBlob();

    /// <summary>The fingerprint exactly as OpenSSH prints it: SHA256: and unpadded base64.</summary>
    public string Fingerprint => SshFingerprint.Sha256(Blob);

    /// <summary>Writes the fields that follow the type name. Certificates embed these same fields.</summary>
    internal abstract void WriteFields(SshWriter writer);

    /// <summary>Verifies an SSH signature over <paramref name="data"/>; false on any mismatch, including an algorithm this key cannot make.</summary>
    public abstract bool Verify(ReadOnlySpan<byte> data, SshSignature signature);

    /// <summary>The one-line form used in .pub files and authorized_keys: type, base64 blob, optional comment.</summary>
    public string ToOpenSshString(string? comment = null) =>
        string.IsNullOrEmpty(comment)
            ? $"{KeyType} {Convert.ToBase64String(Blob)}"
            : $"{KeyType} {Convert.ToBase64String(Blob)} {comment}";

    public override string ToString() => ToOpenSshString();

    public bool Equals(SshPublicKey? other) => other is not null && Blob.SequenceEqual(other.Blob);

    public override bool Equals(object? obj) => obj is SshPublicKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Blob);
        return hash.ToHashCode();
    }

    private byte[] BuildBlob()
    {
        var writer = new SshWriter();
        writer.WriteString(KeyType);
        WriteFields(writer);
        return writer.ToArray();
    }
}

/// <summary>SHA256 fingerprints in OpenSSH's form.</summary>
public static class SshFingerprint
{
    public static string Sha256(ReadOnlySpan<byte> blob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
}
