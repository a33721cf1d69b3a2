using Beacon.Trust.OpenPgp.Packets;
using Beacon.Trust.OpenPgp.Signatures;

namespace Beacon.Trust.OpenPgp.Keys;

/// <summary>
/// A transferable public key (RFC 9580 section 10.1) as gpg exports it: the primary key, direct-key
/// signatures and revocations, user IDs with their certifications, subkeys with their bindings. Only what
/// verifying needs is kept: the primary key with its latest valid self-certification, and the signing
/// subkeys whose binding (and the subkey's back-signature) verify. Trust and marker packets, user
/// attributes, third-party certifications and encryption subkeys are skipped.
/// </summary>
internal sealed class TransferableKey
{
    /// <summary>A sanity bound, not in the spec.</summary>
    public const int MaxUserIdBytes = 4096;

    /// <summary>A sanity bound, not in the spec: keys with many third-party certifications stay far below it.</summary>
    public const int MaxSignatures = 4096;

    private TransferableKey(BoundKey primary, IReadOnlyList<string> userIds, IReadOnlyList<BoundKey> subkeys)
    {
        Primary = primary;
        UserIds = userIds;
        Subkeys = subkeys;
    }

    public BoundKey Primary { get; }

    public IReadOnlyList<string> UserIds { get; }

    /// <summary>The subkeys with a valid binding (any usage; <see cref="BoundKey.RefusalToSign"/> decides).</summary>
    public IReadOnlyList<BoundKey> Subkeys { get; }

    /// <exception cref="OpenPgpFormatException">Malformed, a secret key, more than one key, an unusable primary key, or no valid self-signed user ID.</exception>
    public static TransferableKey Read(byte[] binary)
    {
        var packets = PacketReader.ReadAll(binary);
        var index = SkipIgnorable(packets, 0);
        if (index == packets.Count)
        {
            throw new OpenPgpFormatException("the key data holds no packets");
        }
        var first = packets[index];
        if (first.Tag is PacketTag.SecretKey)
        {
            throw new OpenPgpFormatException("this is a secret key; give the public key (gpg --armor --export)");
        }
        if (first.Tag != PacketTag.PublicKey)
        {
            throw new OpenPgpFormatException($"the key data starts with packet type {first.Tag}, expected a public key (6)");
        }
        var primary = PublicKeyPacket.Parse(first.Body, "primary key");
        if (primary.UnsupportedReason is { } unsupported)
        {
            throw new OpenPgpFormatException(unsupported);
        }

        var selfSignatures = new List<SignaturePacket>();
        var revoked = false;
        var userIds = new List<string>();
        var subkeys = new List<BoundKey>();
        byte[]? currentUserId = null;
        PublicKeyPacket? currentSubkey = null;
        var subkeyBindings = new List<SignaturePacket>();
        var subkeyRevoked = false;
        var certifications = new List<SignaturePacket>();
        var certificationRevocations = new List<SignaturePacket>();
        var inUserAttribute = false;
        var signatureCount = 0;

        // A user ID counts when its latest valid self-certification is newer than any valid revocation of it.
        void FinishUserId()
        {
            if (currentUserId is not null && certifications.Count > 0)
            {
                var latest = certifications.MaxBy(s => s.Created)!;
                if (certificationRevocations.All(r => r.Created < latest.Created))
                {
                    selfSignatures.Add(latest);
                    userIds.Add(System.Text.Encoding.UTF8.GetString(currentUserId));
                }
            }
            currentUserId = null;
            certifications.Clear();
            certificationRevocations.Clear();
        }

        void FinishSubkey()
        {
            if (currentSubkey is not null && subkeyBindings.Count > 0)
            {
                subkeys.Add(new BoundKey(currentSubkey, subkeyBindings.MaxBy(s => s.Created)!, subkeyRevoked, IsPrimary: false));
            }
            currentSubkey = null;
            subkeyBindings.Clear();
            subkeyRevoked = false;
        }

        for (index++; index < packets.Count; index++)
        {
            var packet = packets[index];
            switch (packet.Tag)
            {
                case PacketTag.Signature:
                    if (++signatureCount > MaxSignatures)
                    {
                        throw new OpenPgpFormatException($"the key data holds more than {MaxSignatures} signatures");
                    }
                    var signature = SignaturePacket.Parse(packet.Body, "key signature");
                    if (!IsIssuedBy(signature, primary) || inUserAttribute)
                    {
                        break;
                    }
                    if (currentSubkey is not null)
                    {
                        if (signature.Type == SignatureType.SubkeyBinding && IsBindingValid(signature, primary, currentSubkey))
                        {
                            subkeyBindings.Add(signature);
                        }
                        else if (signature.Type == SignatureType.SubkeyRevocation && KeySignatureCheck.Subkey(signature, primary, primary, currentSubkey) is null)
                        {
                            subkeyRevoked = true;
                        }
                    }
                    else if (currentUserId is not null)
                    {
                        if (SignatureType.IsCertification(signature.Type) && KeySignatureCheck.UserId(signature, primary, currentUserId) is null)
                        {
                            certifications.Add(signature);
                        }
                        else if (signature.Type == SignatureType.CertificationRevocation && KeySignatureCheck.UserId(signature, primary, currentUserId) is null)
                        {
                            certificationRevocations.Add(signature);
                        }
                    }
                    else if (signature.Type == SignatureType.KeyRevocation && KeySignatureCheck.PrimaryKey(signature, primary) is null)
                    {
                        revoked = true;
                    }
                    else if (signature.Type == SignatureType.DirectKey && KeySignatureCheck.PrimaryKey(signature, primary) is null)
                    {
                        selfSignatures.Add(signature);
                    }
                    break;
                case PacketTag.UserId:
                    FinishSubkey();
                    FinishUserId();
                    inUserAttribute = false;
                    if (packet.Body.Length > MaxUserIdBytes)
                    {
                        throw new OpenPgpFormatException($"user ID of {packet.Body.Length} bytes is over the {MaxUserIdBytes}-byte limit");
                    }
                    currentUserId = packet.Body.ToArray();
                    break;
                case PacketTag.UserAttribute:
                    FinishSubkey();
                    FinishUserId();
                    inUserAttribute = true;
                    break;
                case PacketTag.PublicSubkey:
                    FinishSubkey();
                    FinishUserId();
                    inUserAttribute = false;
                    currentSubkey = PublicKeyPacket.Parse(packet.Body, "subkey");
                    break;
                case PacketTag.PublicKey:
                    throw new OpenPgpFormatException("the key data holds more than one key; give exactly one");
                case PacketTag.SecretKey or PacketTag.SecretSubkey:
                    throw new OpenPgpFormatException("the key data holds secret key material; give the public key (gpg --armor --export)");
                default:
                    // Trust, marker, padding and packet types this code does not know carry nothing verification needs.
                    break;
            }
        }
        FinishSubkey();
        FinishUserId();

        if (selfSignatures.Count == 0)
        {
            throw new OpenPgpFormatException($"key 0x{primary.Fingerprint} has no user ID with a valid self-signature (SHA-256 or stronger)");
        }
        var latest = selfSignatures.MaxBy(s => s.Created)!;
        return new TransferableKey(new BoundKey(primary, latest, revoked, IsPrimary: true), userIds.Distinct().ToList(), subkeys);
    }

    /// <summary>
    /// A subkey binding by the primary; a binding that lets the subkey sign must also carry the subkey's own
    /// primary-key binding (0x19), so nobody can claim another person's signing subkey as theirs.
    /// </summary>
    private static bool IsBindingValid(SignaturePacket binding, PublicKeyPacket primary, PublicKeyPacket subkey)
    {
        if (KeySignatureCheck.Subkey(binding, primary, primary, subkey) is not null)
        {
            return false;
        }
        if (binding.KeyFlags is not { } flags || (flags & Subpacket.KeyFlagSign) == 0)
        {
            return true;
        }
        return binding.EmbeddedSignatures().Any(back =>
            back.Type == SignatureType.PrimaryKeyBinding && KeySignatureCheck.Subkey(back, subkey, primary, subkey) is null);
    }

    private static bool IsIssuedBy(SignaturePacket signature, PublicKeyPacket key) =>
        signature.IssuerKeyId is not { } keyId || keyId == key.KeyId;

    private static int SkipIgnorable(List<Packet> packets, int index)
    {
        while (index < packets.Count && packets[index].Tag is PacketTag.Marker or PacketTag.Trust or PacketTag.Padding)
        {
            index++;
        }
        return index;
    }
}
