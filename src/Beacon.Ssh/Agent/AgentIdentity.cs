using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Agent;

/// <summary>
/// One identity an agent holds: its key blob and comment, parsed as a plain key or a certificate when
/// it is a type we know (an unknown type keeps only its blob, so listing never fails on it).
/// </summary>
public sealed record AgentIdentity(ReadOnlyMemory<byte> Blob, string Comment, SshPublicKey? Key, SshCertificate? Certificate)
{
    /// <summary>The SHA256 fingerprint of the key (for a certificate, of the certified key, as ssh-add -l prints it).</summary>
    public string Fingerprint => Key?.Fingerprint ?? Certificate?.PublicKey.Fingerprint ?? SshFingerprint.Sha256(Blob.Span);
}
