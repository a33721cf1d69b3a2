using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Tests.Sshd;

/// <summary>
/// A known_hosts line that trusts host certificates from one CA. A stand-in until the library's own
/// formatter (src/Beacon.Ssh/Trust) is merged; it writes just what the tests need.
/// </summary>
internal static class CertAuthorityLine
{
    public static string For(SshPublicKey hostCa, params string[] hostPatterns) =>
        $"@cert-authority {string.Join(',', hostPatterns)} {hostCa.ToOpenSshString()}";
}
