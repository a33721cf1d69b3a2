using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Sshd;

/// <summary>A private key file (0600) and its certificate file, as ssh's -i and CertificateFile take them.</summary>
internal sealed record SshIdentity(string KeyFile, string CertificateFile)
{
    private static int s_counter;

    /// <summary>Writes the key and the certificate into <paramref name="directory"/> under fresh names.</summary>
    public static SshIdentity Write(TempDirectory directory, SshPrivateKey key, SshCertificate certificate)
    {
        var name = $"id-{Interlocked.Increment(ref s_counter)}";
        var keyFile = directory.WritePrivate(name, OpenSshPrivateKeyFile.Write(key, name));
        var certificateFile = directory.Write(name + "-cert.pub", certificate.ToOpenSshString(name) + "\n");
        return new SshIdentity(keyFile, certificateFile);
    }
}
