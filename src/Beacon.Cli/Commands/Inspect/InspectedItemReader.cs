using Beacon.Ssh;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;

namespace Beacon.Cli.Commands.Inspect;

/// <summary>Decides what a file holds and parses it with the matching Beacon.Ssh parser.</summary>
internal static class InspectedItemReader
{
    private const string OpenSshPrivateKeyBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";

    /// <exception cref="SshFormatException">Empty, not a key or certificate, malformed, or a certificate whose CA signature does not verify.</exception>
    public static InspectedItem Read(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new SshFormatException("no key or certificate (the input is empty)");
        }
        if (trimmed.StartsWith(OpenSshPrivateKeyBegin, StringComparison.Ordinal))
        {
            return ReadPrivateKey(trimmed);
        }
        if (trimmed.StartsWith("-----BEGIN ", StringComparison.Ordinal) || trimmed.StartsWith("---- BEGIN ", StringComparison.Ordinal))
        {
            throw new SshFormatException("a PEM or RFC 4716 file; only OpenSSH's one-line keys and openssh-key-v1 private keys are read (convert with ssh-keygen -e or -p)");
        }
        var lines = trimmed.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').ToList();
        if (lines.Count != 1)
        {
            throw new SshFormatException(lines.Count == 0 ? "no key or certificate (only comments)" : $"{lines.Count} lines; inspect reads one key or certificate");
        }
        var line = lines[0];
        var (type, _, _) = SshKeyText.Split(line);
        if (!SshKeyTypes.IsCertificateType(type))
        {
            var key = SshPublicKeyParser.ParseLine(line, out var keyComment);
            return new InspectedPublicKey(key, keyComment);
        }
        var certificate = SshCertificateParser.ParseLine(line, out var comment);
        // OpenSSH refuses to load a certificate whose signature fails; showing it would lend it credit.
        if (!certificate.VerifySignature())
        {
            throw new SshFormatException("certificate: the CA signature does not verify");
        }
        return new InspectedCertificate(certificate, comment);
    }

    private static InspectedPrivateKey ReadPrivateKey(string text)
    {
        var envelope = OpenSshPrivateKeyFile.ReadEnvelope(text);
        if (envelope.IsEncrypted)
        {
            return new InspectedPrivateKey(envelope.PublicKey, null, envelope.Cipher, envelope.Kdf);
        }
        using var key = OpenSshPrivateKeyFile.Read(text, out var comment);
        return new InspectedPrivateKey(key.PublicKey, comment, envelope.Cipher, envelope.Kdf);
    }
}
