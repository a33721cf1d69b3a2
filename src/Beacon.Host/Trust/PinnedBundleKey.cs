using Beacon.Host.Files;
using Beacon.Trust.Bundle;
using Beacon.Trust.OpenPgp;

namespace Beacon.Host.Trust;

/// <summary>The bundle-signing key pinned at bootstrap: the only key whose signature makes a bundle trusted.</summary>
public sealed class PinnedBundleKey(OpenPgpPublicKey key)
{
    /// <summary>Sanity bound: an armored public key with a few subkeys is a few KiB.</summary>
    public const int MaxKeyFileBytes = 256 * 1024;

    public OpenPgpPublicKey Key { get; } = key;

    /// <exception cref="HostException">Missing or not an OpenPGP public key.</exception>
    public static PinnedBundleKey Load(HostPaths paths)
    {
        var bytes = AtomicFile.ReadBounded(paths.BundleKeyFile, MaxKeyFileBytes)
            ?? throw new HostException($"{paths.BundleKeyFile}: missing; run beacon-host bootstrap first");
        return new PinnedBundleKey(Parse(bytes, paths.BundleKeyFile));
    }

    /// <exception cref="HostException">Not an OpenPGP public key.</exception>
    public static OpenPgpPublicKey Parse(byte[] bytes, string name)
    {
        try
        {
            return OpenPgpPublicKey.Parse(bytes);
        }
        catch (OpenPgpFormatException e)
        {
            throw new HostException($"{name}: not a usable OpenPGP public key ({e.Message})", e);
        }
    }

    /// <summary>Checks the detached signature over the exact bytes, then parses those bytes (never a re-serialization).</summary>
    /// <exception cref="HostException">The signature does not verify with the pinned key, or the document is malformed.</exception>
    public TrustBundle Verify(byte[] document, byte[] signature, string what)
    {
        OpenPgpVerification verification;
        try
        {
            verification = Key.VerifyDetached(document, signature);
        }
        catch (OpenPgpFormatException e)
        {
            throw new HostException($"{what} refused: its signature is malformed ({e.Message})", e);
        }
        // A bundle signed by any other key, or altered after signing, grants nothing.
        if (!verification.IsValid)
        {
            throw new HostException($"{what} refused: the signature does not verify with the pinned key {Key.Fingerprint} ({verification.Reason})");
        }
        try
        {
            return TrustBundleDocument.Parse(document);
        }
        catch (TrustBundleFormatException e)
        {
            throw new HostException($"{what} refused: {e.Message}", e);
        }
    }
}
