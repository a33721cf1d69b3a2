namespace Beacon.Ssh.Krl;

/// <summary>
/// A KRL_SECTION_SIGNATURE found while parsing (PROTOCOL.krl section 6), exposed as raw bytes and never
/// verified. OpenSSH 9.4 and later refuse KRLs that carry one, so we never write one: BeaconSSH signs
/// KRLs detached instead.
/// </summary>
public sealed class KrlSignature
{
    internal KrlSignature(byte[] signatureKey, byte[] signature)
    {
        SignatureKey = signatureKey;
        Signature = signature;
    }

    /// <summary>The wire blob of the key that claims to have signed.</summary>
    public ReadOnlyMemory<byte> SignatureKey { get; }

    /// <summary>The signature blob, unverified.</summary>
    public ReadOnlyMemory<byte> Signature { get; }
}
