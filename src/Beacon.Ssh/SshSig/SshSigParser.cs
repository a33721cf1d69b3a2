using Beacon.Ssh.Keys;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.SshSig;

/// <summary>Parses PROTOCOL.sshsig signatures, armored or binary. Every read is bounded; bad input gives <see cref="SshFormatException"/> only.</summary>
public static class SshSigParser
{
    /// <summary>Parses the armored text "-----BEGIN SSH SIGNATURE-----" … "-----END SSH SIGNATURE-----".</summary>
    /// <exception cref="SshFormatException">No armor, bad base64, text after the end line, or a malformed blob.</exception>
    public static SshSignatureFile ParseArmored(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Bounded before any work: an attacker's huge file must not cost a huge decode.
        if (text.Length > SshSigFormat.MaxArmoredLength)
        {
            throw new SshFormatException($"armored signature: {text.Length} characters is more than {SshSigFormat.MaxArmoredLength}");
        }
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var first = 0;
        while (first < lines.Length && lines[first].Trim().Length == 0)
        {
            first++;
        }
        if (first == lines.Length || lines[first].Trim() != SshSigFormat.BeginArmor)
        {
            throw new SshFormatException($"armored signature: does not start with \"{SshSigFormat.BeginArmor}\"");
        }
        var end = Array.FindIndex(lines, first + 1, l => l.Trim() == SshSigFormat.EndArmor);
        if (end < 0)
        {
            throw new SshFormatException($"armored signature: no \"{SshSigFormat.EndArmor}\" line");
        }
        // Anything after the end line could be a second, different signature that another reader would pick.
        if (lines.Skip(end + 1).Any(l => l.Trim().Length > 0))
        {
            throw new SshFormatException("armored signature: text after the end line");
        }
        var base64 = string.Concat(lines[(first + 1)..end].Select(l => l.Trim()));
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new SshFormatException("armored signature: the body is not valid base64");
        }
        return Parse(blob);
    }

    /// <summary>Parses the binary blob (what the armor carries).</summary>
    /// <exception cref="SshFormatException">Wrong magic or version, a malformed field, an unknown hash, or trailing bytes.</exception>
    public static SshSignatureFile Parse(ReadOnlySpan<byte> blob)
    {
        if (blob.Length > SshSigFormat.MaxBlobLength)
        {
            throw new SshFormatException($"signature: {blob.Length} bytes is more than {SshSigFormat.MaxBlobLength}");
        }
        if (!blob.StartsWith(SshSigFormat.Magic))
        {
            throw new SshFormatException("signature: does not start with \"SSHSIG\"");
        }
        var reader = new SshReader(blob[SshSigFormat.Magic.Length..]);
        var version = reader.ReadUInt32("signature version");
        if (version != SshSigFormat.Version)
        {
            throw new SshFormatException($"signature version: {version}, only {SshSigFormat.Version} is defined");
        }
        var keyBlob = reader.ReadStringSpan("signature public key");
        // A certificate or unknown key type fails here: we verify against plain keys only.
        var key = SshPublicKeyParser.ParseBlob(keyBlob);
        var @namespace = reader.ReadUtf8("signature namespace");
        if (@namespace.Length is 0 or > SshSigFormat.MaxNamespaceLength)
        {
            throw new SshFormatException($"signature namespace: {@namespace.Length} characters; expected 1 to {SshSigFormat.MaxNamespaceLength}");
        }
        var reserved = reader.ReadBytes("signature reserved");
        var hash = reader.ReadUtf8("signature hash algorithm");
        if (hash is not (SshSigFormat.Sha256 or SshSigFormat.Sha512))
        {
            throw new SshFormatException($"signature hash algorithm: \"{SshPublicKeyParser.Quote(hash)}\" is not sha256 or sha512");
        }
        var signature = SshSignature.Parse(reader.ReadStringSpan("signature"));
        reader.EnsureEnd("signature");
        return new SshSignatureFile(key, @namespace, reserved, hash, signature);
    }
}
