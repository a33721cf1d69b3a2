using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Cli.Commands.Inspect;

/// <summary>What an inspected file turned out to hold.</summary>
internal abstract record InspectedItem;

internal sealed record InspectedCertificate(SshCertificate Certificate, string? Comment) : InspectedItem;

internal sealed record InspectedPublicKey(SshPublicKey Key, string? Comment) : InspectedItem;

/// <summary>An openssh-key-v1 private key: only its public half is ever shown; an encrypted one has no readable comment.</summary>
internal sealed record InspectedPrivateKey(SshPublicKey PublicKey, string? Comment, string Cipher, string Kdf) : InspectedItem
{
    public bool Encrypted => Cipher != "none";
}
