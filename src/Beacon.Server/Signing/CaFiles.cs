using Beacon.Ssh.Keys;

namespace Beacon.Server.Signing;

/// <summary>
/// The CA key files of a directory (user_ca.pub, host_ca.pub and their encrypted private halves).
/// TEMPORARY SEAM: replaced by the encrypted key file of the break-glass CA when that lands.
/// </summary>
public static class CaFiles
{
    public static void Create(string directory, string password, SshKeyAlgorithm algorithm) => throw new NotImplementedException();

    public static CaKeyRing Load(string directory, string password) => throw new NotImplementedException();
}
