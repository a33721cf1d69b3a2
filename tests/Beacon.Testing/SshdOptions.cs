using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Testing;

/// <summary>What a test sshd starts with. Every file it names can be rewritten later through <see cref="SshdServer"/>.</summary>
public sealed record SshdOptions
{
    /// <summary>The host key; a fresh Ed25519 key when null.</summary>
    public SshPrivateKey? HostKey { get; init; }

    /// <summary>A certificate for <see cref="HostKey"/>, served as HostCertificate.</summary>
    public SshCertificate? HostCertificate { get; init; }

    /// <summary>The initial TrustedUserCAKeys (one key per line).</summary>
    public IReadOnlyList<SshPublicKey> TrustedUserCaKeys { get; init; } = [];

    /// <summary>The initial RevokedKeys file; an empty KRL made by ssh-keygen -k when null.</summary>
    public byte[]? RevokedKeys { get; init; }

    public SshdPrincipals Principals { get; init; } = SshdPrincipals.AccountName;

    /// <summary>
    /// sshd_config lines placed before the harness's own. sshd keeps the first value of a keyword, so these
    /// win: an Include of a drop-in that names other trust files (as Debian's sshd_config includes sshd_config.d first).
    /// </summary>
    public IReadOnlyList<string> LeadingConfig { get; init; } = [];

    /// <summary>Further sshd_config lines, appended after the harness's own.</summary>
    public IReadOnlyList<string> ExtraConfig { get; init; } = [];
}
