using System.Security.Cryptography;
using Beacon.Trust.OpenPgp.Keys;

namespace Beacon.Trust.OpenPgp.Signatures;

/// <summary>
/// Checks signatures over key material (section 5.2.4): certifications of a user ID, subkey bindings,
/// primary-key bindings, revocations. Each returns null when the signature is valid, else why not.
/// </summary>
internal static class KeySignatureCheck
{
    /// <summary>A certification (0x10..0x13) or its revocation (0x30) of a user ID: primary key, 0xB4, four-octet length, the user ID.</summary>
    public static string? UserId(SignaturePacket signature, PublicKeyPacket primary, byte[] userId) =>
        Check(signature, primary, hash => UserIdData(hash, primary, userId));

    /// <summary>What a certification of a user ID hashes before the trailer.</summary>
    public static void UserIdData(IncrementalHash hash, PublicKeyPacket primary, byte[] userId)
    {
        primary.AppendForHashing(hash);
        var length = userId.Length;
        hash.AppendData([0xB4, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length]);
        hash.AppendData(userId);
    }

    /// <summary>A direct-key signature (0x1F) or key revocation (0x20): the primary key alone.</summary>
    public static string? PrimaryKey(SignaturePacket signature, PublicKeyPacket primary) =>
        Check(signature, primary, primary.AppendForHashing);

    /// <summary>
    /// A subkey binding (0x18) or subkey revocation (0x28) made by <paramref name="signer"/> = the primary, or
    /// a primary-key binding (0x19) made by the subkey: primary key, then subkey.
    /// </summary>
    public static string? Subkey(SignaturePacket signature, PublicKeyPacket signer, PublicKeyPacket primary, PublicKeyPacket subkey) =>
        Check(signature, signer, hash =>
        {
            primary.AppendForHashing(hash);
            subkey.AppendForHashing(hash);
        });

    /// <summary>Checks everything but the signed data, which <paramref name="appendSignedData"/> hashes.</summary>
    public static string? Check(SignaturePacket signature, PublicKeyPacket signer, Action<IncrementalHash> appendSignedData)
    {
        if (signature.UnsupportedReason is { } unsupported)
        {
            return unsupported;
        }
        if (signer.UnsupportedReason is { } unusable)
        {
            return unusable;
        }
        if (signature.PublicKeyAlgorithm != signer.Algorithm)
        {
            return $"the signature's algorithm ({PublicKeyAlgorithm.Name(signature.PublicKeyAlgorithm)}) is not its key's ({PublicKeyAlgorithm.Name(signer.Algorithm)})";
        }
        if (OpenPgpHashAlgorithm.TryGet(signature.HashAlgorithm, out var refusal) is not { } name)
        {
            return refusal;
        }
        if (signature.UnknownCritical is { } critical)
        {
            return $"the signature has a critical subpacket of type {critical.Type} that is not understood";
        }
        if (signature.Created is null)
        {
            return "the signature has no creation time";
        }
        using var hash = IncrementalHash.CreateHash(name);
        appendSignedData(hash);
        return signature.CheckAfterData(hash, signer, name);
    }
}
