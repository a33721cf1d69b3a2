using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Cli.Tests.Inspect;

/// <summary>Certificates and keys made in process for inspect tests.</summary>
internal static class InspectTestData
{
    public static readonly Ed25519PrivateKey Ca = Ed25519PrivateKey.Generate();
    public static readonly Ed25519PrivateKey Subject = Ed25519PrivateKey.Generate();

    /// <summary>2026-01-02T03:04:05Z.</summary>
    public const ulong ValidAfter = 1767323045;

    public static SshCertificate UserCertificate() => new SshCertificateBuilder
    {
        PublicKey = Subject.PublicKey,
        Type = SshCertificateType.User,
        KeyId = "alice@example.com via github",
        Principals = ["alice", "deploy"],
        ValidAfter = ValidAfter,
        ValidBefore = ValidAfter + 900,
        Serial = 18446744073709551557,
        CriticalOptions = [SshCertificateOption.WithValue("source-address", "10.0.0.0/8,::1"), SshCertificateOption.WithValue("force-command", "uptime")],
        Extensions = [SshCertificateOption.Flag("permit-pty"), SshCertificateOption.Flag("permit-agent-forwarding")],
    }.Sign(Ca);
}
