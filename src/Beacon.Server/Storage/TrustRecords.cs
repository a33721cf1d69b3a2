namespace Beacon.Server.Storage;

/// <summary>A CA key as stored, without its private half.</summary>
/// <param name="Kind">user or host.</param>
/// <param name="State">next, active, previous or retired.</param>
/// <param name="PublicKey">OpenSSH one-line form, no comment.</param>
/// <param name="CreatedAt">Unix milliseconds, like every time here.</param>
public sealed record CaKeyRecord(long Id, string Kind, string State, string PublicKey, string Fingerprint, long CreatedAt, long? ActivatedAt, long? RetiredAt);

/// <summary>A CA key to store: its public key and its private key as an EncryptedKeyFile under the CA password.</summary>
public sealed record NewCaKey(string Kind, string PublicKey, string Fingerprint, byte[] EncryptedPrivateKey);

/// <summary>The CA key states; at most one next, one active and one previous key per kind.</summary>
public static class CaKeyState
{
    public const string Next = "next";
    public const string Active = "active";
    public const string Previous = "previous";
    public const string Retired = "retired";
}

/// <summary>One trust bundle version as stored.</summary>
/// <param name="Document">The exact bytes that are signed and served.</param>
/// <param name="Signature">The armored OpenPGP detached signature; null while an offline draft.</param>
/// <param name="PublishedBy">Who published it: "server" (server-held key) or the actor who uploaded the signature.</param>
public sealed record TrustBundleRecord(long Version, byte[] Document, string? Signature, long CreatedAt, long? PublishedAt, string? PublishedBy)
{
    public bool IsPublished => Signature is not null;
}

/// <summary>What an activation changed, or why it could not.</summary>
public sealed record CaActivation(CaKeyRecord? Activated, CaKeyRecord? Demoted, CaKeyRecord? BlockingPrevious);
