using Beacon.Server.Audit;

namespace Beacon.Server.Storage;

/// <summary>
/// Trust material shared by replicas: the CA keys under lifecycle management and the trust bundle
/// versions. Every change is made with its audit event in one audit-chain transaction, which also
/// serialises replicas making changes at once.
/// </summary>
public interface ITrustStore
{
    /// <summary>Every CA key, both kinds, oldest first.</summary>
    Task<IReadOnlyList<CaKeyRecord>> ListCaKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>The encrypted private key of a CA key; null when there is no such key.</summary>
    Task<byte[]?> ReadEncryptedCaKeyAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Stores the keys as active for each kind that has no key at all yet (first start); returns those stored.</summary>
    Task<IReadOnlyList<CaKeyRecord>> ImportActiveCaKeysAsync(IReadOnlyList<NewCaKey> keys, long nowMs, Func<CaKeyRecord, AuditDraft> audit, CancellationToken cancellationToken = default);

    /// <summary>Stores a new next key of its kind; returns null (storing nothing) when the kind has a next key already.</summary>
    Task<CaKeyRecord?> AddNextCaKeyAsync(NewCaKey key, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default);

    /// <summary>Makes the next key active and the active one previous, unless there is no next key or a previous one is not retired.</summary>
    Task<CaActivation> ActivateNextCaKeyAsync(string kind, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default);

    /// <summary>Retires the previous key with this id; false when it is not (or no longer) the previous key.</summary>
    Task<bool> RetireCaKeyAsync(long id, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default);

    /// <summary>The latest unexpired, unrevoked certificate's valid_before (Unix seconds) signed by the CA; null if none.</summary>
    Task<long?> LastLiveCertificateOfCaAsync(string caFingerprint, long nowSeconds, CancellationToken cancellationToken = default);

    /// <summary>Whether any host certificate was ever issued.</summary>
    Task<bool> AnyHostCertificateAsync(CancellationToken cancellationToken = default);

    /// <summary>The latest bundle version, draft or published; null before the first.</summary>
    Task<TrustBundleRecord?> LatestTrustBundleAsync(CancellationToken cancellationToken = default);

    /// <summary>The latest published version number; 0 before the first publication. One cheap read, for conditional GETs.</summary>
    Task<long> LatestPublishedTrustBundleVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>One version, draft or published; null when there is none.</summary>
    Task<TrustBundleRecord?> TrustBundleAsync(long version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a new version if the latest is still <paramref name="expectedLatest"/> (0: none); false, storing
    /// nothing, when another writer got there first (the caller rebuilds and retries).
    /// </summary>
    Task<bool> TryAppendTrustBundleAsync(long expectedLatest, TrustBundleRecord bundle, AuditDraft audit, CancellationToken cancellationToken = default);

    /// <summary>Publishes a draft with its signature; false when the version is not an unpublished draft.</summary>
    Task<bool> PublishTrustBundleAsync(long version, string signature, string publishedBy, long nowMs, AuditDraft audit, CancellationToken cancellationToken = default);
}
