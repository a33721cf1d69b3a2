using Beacon.Server.Ca;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Signing;

/// <summary>The CA private keys the server signs with, decrypted once at start and held in memory.</summary>
public sealed class CaKeyRing(SshPrivateKey userCa, SshPrivateKey hostCa) : IDisposable
{
    public SshPrivateKey UserCa { get; } = userCa;

    public SshPrivateKey HostCa { get; } = hostCa;

    /// <summary>Decrypts both CA keys of a CA directory (the break-glass CA's layout, <see cref="OfflineCaDirectory"/>).</summary>
    /// <exception cref="CaException">Missing files, a wrong password or a corrupted key.</exception>
    public static CaKeyRing Load(string directory, ReadOnlySpan<byte> password)
    {
        var ca = new OfflineCaDirectory(directory);
        var user = ca.LoadPrivateKey(CaKind.User, password);
        try
        {
            return new CaKeyRing(user, ca.LoadPrivateKey(CaKind.Host, password));
        }
        catch
        {
            user.Dispose();
            throw;
        }
    }

    public IReadOnlyList<SshPublicKey> PublicKeys => [UserCa.PublicKey, HostCa.PublicKey];

    /// <summary>Every key of a kind that verifiers must trust now (active, and during a rotation next and previous).</summary>
    public IReadOnlyList<SshPublicKey> Trusted(CaKind kind) => [kind == CaKind.User ? UserCa.PublicKey : HostCa.PublicKey];

    public void Dispose()
    {
        UserCa.Dispose();
        HostCa.Dispose();
    }
}
