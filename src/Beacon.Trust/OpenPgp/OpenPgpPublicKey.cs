using Beacon.Trust.OpenPgp.Encoding;
using Beacon.Trust.OpenPgp.Keys;

namespace Beacon.Trust.OpenPgp;

/// <summary>
/// An OpenPGP public key (a transferable public key as `gpg --export [--armor]` writes it): the primary key
/// and any signing subkeys bound to it. Verifies detached signatures over binary documents.
/// v4 keys: RSA (1, 3; at least 2048 bits), EdDSA legacy Ed25519 (22) and Ed25519 (27); SHA-256/384/512
/// (RFC 9580, read as RFC 4880 wrote it for v4).
/// </summary>
public sealed partial class OpenPgpPublicKey
{
    private readonly TransferableKey _key;

    private OpenPgpPublicKey(TransferableKey key)
    {
        _key = key;
        Fingerprint = key.Primary.Key.Fingerprint;
    }

    /// <summary>The primary key's v4 fingerprint, 40 upper-case hex digits as gpg prints it.</summary>
    public string Fingerprint { get; private init; } = "";

    /// <summary>The user IDs that carry a valid self-signature.</summary>
    public IReadOnlyList<string> UserIds => _key.UserIds;

    /// <summary>When the primary key was made.</summary>
    public DateTimeOffset Created => _key.Primary.Key.Created;

    /// <summary>Parses an armored ("-----BEGIN PGP PUBLIC KEY BLOCK-----") or binary transferable public key.</summary>
    /// <exception cref="OpenPgpFormatException">Malformed, no usable key, or an unsupported algorithm.</exception>
    public static OpenPgpPublicKey Parse(ReadOnlySpan<byte> data) =>
        new(TransferableKey.Read(OpenPgpArmor.DecodeOrBinary(data, OpenPgpArmor.PublicKeyBlock)));
}
