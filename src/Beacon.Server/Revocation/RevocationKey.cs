using Beacon.Ssh.Keys;
using Beacon.Ssh.SshSig;

namespace Beacon.Server.Revocation;

/// <summary>
/// The online key that signs the KRL (an SSHSIG detached signature), decrypted at start and held in
/// memory. Revocation lists only take access away, so this key lives on the server, apart from the CA keys.
/// </summary>
public sealed class RevocationKey(SshPrivateKey key) : IDisposable
{
    /// <summary>The SSHSIG namespace of KRL signatures: `ssh-keygen -Y verify -n beacon-krl@beaconssh`.</summary>
    public const string SignatureNamespace = "beacon-krl@beaconssh";

    /// <summary>The principal hosts name it by in an allowed_signers file (and the comment of its .pub).</summary>
    public const string Identity = "beacon-revocation";

    public SshPublicKey PublicKey => key.PublicKey;

    /// <summary>The armored SSHSIG of exactly these bytes, hashed with SHA-512.</summary>
    public string Sign(ReadOnlySpan<byte> krl) => SshSigSigner.Sign(key, krl, SignatureNamespace).ToArmored();

    public void Dispose() => key.Dispose();
}
