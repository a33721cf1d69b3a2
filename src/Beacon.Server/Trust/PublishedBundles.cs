using System.Security.Cryptography;
using System.Text;
using Beacon.Server.Storage;

namespace Beacon.Server.Trust;

/// <summary>The latest published bundle as served, cached by version: a conditional GET costs one small read.</summary>
public sealed class PublishedBundles(ITrustStore trust)
{
    private volatile ServedBundle? _current;

    /// <summary>The latest published version; null before the first publication.</summary>
    /// <exception cref="StoreUnavailableException">The database cannot be read.</exception>
    public async Task<ServedBundle?> CurrentAsync(CancellationToken cancellationToken)
    {
        var version = await trust.LatestPublishedTrustBundleVersionAsync(cancellationToken);
        if (version == 0)
        {
            return null;
        }
        if (_current is { } cached && cached.Version == version)
        {
            return cached;
        }
        var record = await trust.TrustBundleAsync(version, cancellationToken);
        if (record?.Signature is not { } signature)
        {
            return null;
        }
        var served = new ServedBundle(record.Version, record.Document, StrongETag(record.Document), signature, StrongETag(Encoding.UTF8.GetBytes(signature)));
        _current = served;
        return served;
    }

    internal static string StrongETag(byte[] content) => $"\"{Convert.ToHexStringLower(SHA256.HashData(content))}\"";
}

/// <summary>One published version: the document bytes, the armored signature, and the strong ETag of each.</summary>
public sealed record ServedBundle(long Version, byte[] Document, string ETag, string Signature, string SignatureETag);
