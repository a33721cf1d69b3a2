using Beacon.Ssh.Keys;

namespace Beacon.Server.Signing;

/// <summary>The CA private keys the server signs with, decrypted once at start and held in memory.</summary>
public sealed class CaKeyRing(SshPrivateKey userCa, SshPrivateKey hostCa) : IDisposable
{
    public SshPrivateKey UserCa { get; } = userCa;

    public SshPrivateKey HostCa { get; } = hostCa;

    /// <summary>True when the key is one of the CA keys: a CA key is never certified as a subject key.</summary>
    public bool IsCaKey(SshPublicKey key) => key.Equals(UserCa.PublicKey) || key.Equals(HostCa.PublicKey);

    public void Dispose()
    {
        UserCa.Dispose();
        HostCa.Dispose();
    }
}
