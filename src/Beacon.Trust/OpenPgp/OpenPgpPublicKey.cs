namespace Beacon.Trust.OpenPgp;

/// <summary>
/// An OpenPGP public key (a transferable public key as `gpg --export [--armor]` writes it): the primary key
/// and any signing subkeys bound to it. Verifies detached signatures over binary documents.
/// STUB: to be implemented (RFC 9580 / RFC 4880; v4 keys; EdDSA legacy (22), Ed25519 (27), RSA (1)).
/// </summary>
public sealed class OpenPgpPublicKey
{
    private OpenPgpPublicKey()
    {
    }

    /// <summary>The primary key's v4 fingerprint, 40 upper-case hex digits as gpg prints it.</summary>
    public string Fingerprint { get; private init; } = "";

    /// <summary>Parses an armored ("-----BEGIN PGP PUBLIC KEY BLOCK-----") or binary transferable public key.</summary>
    /// <exception cref="OpenPgpFormatException">Malformed, no usable key, or an unsupported algorithm.</exception>
    public static OpenPgpPublicKey Parse(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>Checks an armored or binary detached signature over <paramref name="document"/> (a binary-mode signature).</summary>
    public OpenPgpVerification VerifyDetached(ReadOnlySpan<byte> document, ReadOnlySpan<byte> signature) => throw new NotImplementedException();
}
