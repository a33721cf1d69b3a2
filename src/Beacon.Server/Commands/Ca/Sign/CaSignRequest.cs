using Beacon.Server.Ca;
using Beacon.Ssh.Certificates;

namespace Beacon.Server.Commands.Ca.Sign;

/// <summary>
/// A validated ca sign command line. <c>Extensions</c> is null for the defaults of the certificate type
/// and empty for none; <c>OutputPath</c> is null for KEY-cert.pub beside the key.
/// </summary>
internal sealed record CaSignRequest(
    OfflineCaDirectory Directory,
    string PasswordFile,
    CaKind Kind,
    string PublicKeyPath,
    string KeyId,
    IReadOnlyList<string> Principals,
    TimeSpan Validity,
    ulong? Serial,
    IReadOnlyList<SshCertificateOption> CriticalOptions,
    IReadOnlyList<SshCertificateOption>? Extensions,
    string? OutputPath)
{
    /// <summary>How far valid-after is back-dated, so a host whose clock runs a little behind still accepts a fresh certificate (DESIGN: one minute).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>ssh-keygen's naming: KEY.pub → KEY-cert.pub, any other name → NAME-cert.pub.</summary>
    public string ResolvedOutputPath => OutputPath ?? (PublicKeyPath.EndsWith(".pub", StringComparison.Ordinal)
        ? PublicKeyPath[..^4] + "-cert.pub"
        : PublicKeyPath + "-cert.pub");
}
