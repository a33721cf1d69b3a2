namespace Beacon.Trust.OpenPgp;

/// <summary>
/// The server-held bundle-signing key: an Ed25519 OpenPGP key that makes detached signatures `gpg --verify` accepts.
/// STUB: to be implemented.
/// </summary>
public sealed class OpenPgpSigningKey : IDisposable
{
    private OpenPgpSigningKey()
    {
    }

    /// <summary>The public half, as hosts pin it.</summary>
    public OpenPgpPublicKey PublicKey => throw new NotImplementedException();

    /// <summary>A new Ed25519 key with a self-signed user ID (so `gpg --import` takes it).</summary>
    public static OpenPgpSigningKey Generate(string userId, DateTimeOffset created) => throw new NotImplementedException();

    /// <summary>Reads the form <see cref="Export"/> writes.</summary>
    /// <exception cref="OpenPgpFormatException">Malformed.</exception>
    public static OpenPgpSigningKey Import(ReadOnlySpan<byte> exported) => throw new NotImplementedException();

    /// <summary>The private key in a form only <see cref="Import"/> reads; the caller encrypts it at rest.</summary>
    public byte[] Export() => throw new NotImplementedException();

    /// <summary>The armored transferable public key (public key packet, user ID, self-signature).</summary>
    public string ExportPublicArmored() => throw new NotImplementedException();

    /// <summary>An armored binary-mode detached signature ("-----BEGIN PGP SIGNATURE-----") over <paramref name="document"/>.</summary>
    public string SignDetached(ReadOnlySpan<byte> document, DateTimeOffset signedAt) => throw new NotImplementedException();

    public void Dispose()
    {
    }
}
