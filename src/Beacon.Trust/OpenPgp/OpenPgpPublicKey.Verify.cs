using System.Security.Cryptography;
using Beacon.Trust.OpenPgp.Keys;
using Beacon.Trust.OpenPgp.Signatures;

namespace Beacon.Trust.OpenPgp;

public sealed partial class OpenPgpPublicKey
{
    /// <summary>Checks an armored or binary detached signature over <paramref name="document"/> (a binary-mode signature).</summary>
    /// <remarks>
    /// Never throws for bad input: a malformed signature is an invalid result whose reason starts with
    /// "malformed signature:". Expiry is judged at the current time.
    /// </remarks>
    public OpenPgpVerification VerifyDetached(ReadOnlySpan<byte> document, ReadOnlySpan<byte> signature) =>
        VerifyDetached(document, signature, DateTimeOffset.UtcNow);

    /// <summary>As <see cref="VerifyDetached(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>, judging key and signature expiry at <paramref name="now"/>.</summary>
    public OpenPgpVerification VerifyDetached(ReadOnlySpan<byte> document, ReadOnlySpan<byte> signature, DateTimeOffset now)
    {
        SignaturePacket packet;
        try
        {
            packet = DetachedSignature.Parse(signature);
        }
        catch (OpenPgpFormatException e)
        {
            return OpenPgpVerification.Invalid($"malformed signature: {e.Message}");
        }
        if (packet.UnsupportedReason is { } unsupported)
        {
            return OpenPgpVerification.Invalid(unsupported);
        }
        if (packet.Type == SignatureType.TextDocument)
        {
            return OpenPgpVerification.Invalid("a text-mode signature (type 0x01) is refused: sign in binary mode (gpg --detach-sign without --textmode)");
        }
        if (packet.Type != SignatureType.BinaryDocument)
        {
            return OpenPgpVerification.Invalid($"signature type 0x{packet.Type:X2} is not a document signature");
        }

        var issuer = packet.IssuerFingerprint ?? packet.IssuerKeyId;
        if (issuer is null)
        {
            return OpenPgpVerification.Invalid("the signature names no issuer key");
        }
        if (FindSigner(packet) is not { } signer)
        {
            // The pinned key is the only one trusted: any other key's signature, however valid, is refused.
            return OpenPgpVerification.Invalid($"signed by key 0x{issuer} which is not the pinned key 0x{Fingerprint}", issuer);
        }
        var signerName = signer.IsPrimary ? $"key 0x{Fingerprint}" : $"subkey 0x{signer.Key.Fingerprint} of key 0x{Fingerprint}";
        if (OpenPgpHashAlgorithm.TryGet(packet.HashAlgorithm, out var refusal) is not { } hashName)
        {
            return OpenPgpVerification.Invalid(refusal, Fingerprint);
        }
        if (packet.UnknownCritical is { } critical)
        {
            return OpenPgpVerification.Invalid($"the signature has a critical subpacket of type {critical.Type} that is not understood", Fingerprint);
        }
        if (packet.Created is not { } signedAt)
        {
            return OpenPgpVerification.Invalid("the signature has no creation time", Fingerprint);
        }
        if (signer.RefusalToSign(signedAt, now) is { } keyRefusal)
        {
            return OpenPgpVerification.Invalid(keyRefusal, Fingerprint);
        }
        if (packet.PublicKeyAlgorithm != signer.Key.Algorithm)
        {
            return OpenPgpVerification.Invalid($"the signature's algorithm ({PublicKeyAlgorithm.Name(packet.PublicKeyAlgorithm)}) is not that of {signerName}", Fingerprint);
        }
        if (packet.ExpirationSeconds is { } seconds and > 0 && now >= signedAt.AddSeconds(seconds))
        {
            return OpenPgpVerification.Invalid($"the signature expired on {signedAt.AddSeconds(seconds).UtcDateTime:yyyy-MM-dd HH:mm:ss}Z", Fingerprint);
        }

        using var hash = IncrementalHash.CreateHash(hashName);
        hash.AppendData(document);
        if (packet.CheckAfterData(hash, signer.Key, hashName) is not null)
        {
            return OpenPgpVerification.Invalid($"the document does not match the signature by {signerName}", Fingerprint);
        }
        return new OpenPgpVerification(true, $"good signature by {signerName}, made {signedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z", Fingerprint, signedAt);
    }

    /// <summary>The primary key or subkey the signature names (by fingerprint when given, else by key ID).</summary>
    private BoundKey? FindSigner(SignaturePacket packet)
    {
        foreach (var candidate in _key.Subkeys.Prepend(_key.Primary))
        {
            if (packet.IssuerFingerprint is { } fingerprint ? fingerprint == candidate.Key.Fingerprint : packet.IssuerKeyId == candidate.Key.KeyId)
            {
                return candidate;
            }
        }
        return null;
    }
}
