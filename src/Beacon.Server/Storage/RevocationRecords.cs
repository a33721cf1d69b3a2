namespace Beacon.Server.Storage;

/// <summary>A plain public key revoked outright, as stored.</summary>
/// <param name="Fingerprint">"SHA256:…" of the key.</param>
/// <param name="PublicKey">The key in OpenSSH one-line form (no comment).</param>
public sealed record RevokedKeyRecord(string Fingerprint, string PublicKey, long RevokedAt, string RevokedBy, string? Reason);

/// <summary>A revoked certificate's serial and the fingerprint of the CA that signed it.</summary>
public sealed record RevokedSerial(string Serial, string CaFingerprint);

/// <summary>Everything a KRL is built from, read consistently at one KRL version.</summary>
/// <param name="Version">The KRL version (krl_state), raised by every revocation.</param>
/// <param name="UpdatedAt">Unix seconds of the last revocation; the KRL's generated date, so every replica writes the same bytes.</param>
public sealed record RevocationSnapshot(long Version, long UpdatedAt, IReadOnlyList<RevokedSerial> Serials, IReadOnlyList<RevokedKeyRecord> Keys);

/// <summary>The outcome of revoking a public key.</summary>
/// <param name="NewlyRevoked">False when the key was revoked already (nothing changed).</param>
/// <param name="Certificates">Live certificates for the key, now marked revoked too.</param>
public sealed record KeyRevocationOutcome(bool NewlyRevoked, IReadOnlyList<CertificateRecord> Certificates);
