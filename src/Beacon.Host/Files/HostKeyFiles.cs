using System.Text;
using Beacon.Ssh;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;

namespace Beacon.Host.Files;

/// <summary>One host key as sshd keeps it: ssh_host_TYPE_key (private), .pub, and -cert.pub (the host certificate).</summary>
public sealed record HostKeyFiles(string PublicKeyFile)
{
    /// <summary>Sanity bound: more host keys than any sshd has.</summary>
    public const int MaxKeys = 16;

    public string PrivateKeyFile => PublicKeyFile[..^".pub".Length];

    public string CertificateFile => PrivateKeyFile + "-cert.pub";

    /// <summary>The host's public keys: R/etc/ssh/ssh_host_*_key.pub, sorted by name.</summary>
    public static IReadOnlyList<HostKeyFiles> Discover(HostPaths paths)
    {
        if (!Directory.Exists(paths.SshDirectory))
        {
            return [];
        }
        return Directory.EnumerateFiles(paths.SshDirectory, "ssh_host_*_key.pub")
            .Order(StringComparer.Ordinal).Take(MaxKeys).Select(f => new HostKeyFiles(f)).ToList();
    }

    /// <exception cref="HostException">Missing or not a public key.</exception>
    public SshPublicKey ReadPublicKey()
    {
        var bytes = AtomicFile.ReadBounded(PublicKeyFile, 64 * 1024) ?? throw new HostException($"{PublicKeyFile}: missing");
        try
        {
            return SshPublicKeyParser.ParseLine(Encoding.UTF8.GetString(bytes).Trim());
        }
        catch (SshFormatException e)
        {
            throw new HostException($"{PublicKeyFile}: {e.Message}", e);
        }
    }

    /// <summary>The current host certificate, or null when there is none.</summary>
    /// <exception cref="HostException">Present but not a certificate.</exception>
    public SshCertificate? ReadCertificate()
    {
        var bytes = AtomicFile.ReadBounded(CertificateFile, 64 * 1024);
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return SshCertificateParser.ParseLine(Encoding.UTF8.GetString(bytes).Trim());
        }
        catch (SshFormatException e)
        {
            throw new HostException($"{CertificateFile}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The host's own private key (openssh-key-v1, unencrypted, as sshd-keygen writes it). The caller
    /// disposes it as soon as it has signed; beacon-host reads no other private key.
    /// </summary>
    /// <exception cref="HostException">Missing, encrypted, malformed, or not the key of <paramref name="expected"/>.</exception>
    public SshPrivateKey ReadPrivateKey(SshPublicKey expected)
    {
        var bytes = AtomicFile.ReadBounded(PrivateKeyFile, OpenSshPrivateKeyFile.MaxFileLength) ?? throw new HostException($"{PrivateKeyFile}: missing");
        SshPrivateKey key;
        try
        {
            key = OpenSshPrivateKeyFile.Read(Encoding.UTF8.GetString(bytes));
        }
        catch (SshFormatException e)
        {
            throw new HostException($"{PrivateKeyFile}: {e.Message}", e);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
        if (!key.PublicKey.Equals(expected))
        {
            key.Dispose();
            throw new HostException($"{PrivateKeyFile}: not the key its certificate certifies ({expected.Fingerprint})");
        }
        return key;
    }

    public void WriteCertificate(SshCertificate certificate) =>
        AtomicFile.WriteText(CertificateFile, certificate.ToOpenSshString() + "\n", FileModes.Public);
}
