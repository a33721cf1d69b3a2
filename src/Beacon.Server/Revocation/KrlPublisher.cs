using System.Security.Cryptography;
using System.Text;
using Beacon.Server.Signing;
using Beacon.Server.Storage;
using Beacon.Ssh;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Krl;

namespace Beacon.Server.Revocation;

/// <summary>
/// Builds the KRL from the database and signs it, cached in memory by the stored KRL version. Every
/// replica builds the same bytes for the same version (the generated date is the time of the last
/// revocation, not the time of the build), so any replica can answer a conditional GET.
/// </summary>
public sealed class KrlPublisher(IBeaconStore store, CaKeyRing cas, RevocationKey revocationKey, ILogger<KrlPublisher> logger)
{
    private readonly SemaphoreSlim _building = new(1, 1);
    private volatile PublishedKrl? _current;

    /// <summary>The KRL of the current stored version: one cheap version read when nothing changed.</summary>
    /// <exception cref="StoreUnavailableException">The database cannot be read.</exception>
    public async Task<PublishedKrl> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var version = await store.KrlVersionAsync(cancellationToken);
        if (_current is { } cached && cached.Version == version)
        {
            return cached;
        }
        await _building.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } built && built.Version >= version)
            {
                return built;
            }
            var snapshot = await store.ReadRevocationsAsync(cancellationToken);
            var published = Publish(snapshot, await ResolveCasAsync(snapshot, cancellationToken));
            _current = published;
            return published;
        }
        finally
        {
            _building.Release();
        }
    }

    /// <summary>Builds and signs the KRL of a snapshot, given the CA key for each CA fingerprint.</summary>
    internal PublishedKrl Publish(RevocationSnapshot snapshot, IReadOnlyDictionary<string, SshPublicKey> casByFingerprint)
    {
        var builder = new KrlBuilder
        {
            Version = (ulong)snapshot.Version,
            GeneratedDate = (ulong)Math.Max(0, snapshot.UpdatedAt),
            Comment = "beacon revocation list",
        };
        foreach (var group in snapshot.Serials.GroupBy(s => s.CaFingerprint, StringComparer.Ordinal))
        {
            if (!casByFingerprint.TryGetValue(group.Key, out var ca))
            {
                // Unreachable unless the database lost certificates: say so rather than drop revocations silently.
                logger.LogError("revoked certificates of CA {Fingerprint} are left out of the KRL: the CA key is unknown", group.Key);
                continue;
            }
            var serials = group.Select(s => ulong.TryParse(s.Serial, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0)
                .Where(n => n != 0);
            builder.RevokeSerials(ca, serials);
        }
        foreach (var key in snapshot.Keys)
        {
            builder.RevokeKey(SshPublicKeyParser.ParseLine(key.PublicKey));
        }
        var bytes = builder.Build();
        var signature = revocationKey.Sign(bytes);
        return new PublishedKrl(snapshot.Version, bytes, StrongETag(bytes), signature, StrongETag(Encoding.UTF8.GetBytes(signature)));
    }

    private async Task<IReadOnlyDictionary<string, SshPublicKey>> ResolveCasAsync(RevocationSnapshot snapshot, CancellationToken cancellationToken)
    {
        var known = cas.PublicKeys.ToDictionary(k => k.Fingerprint, StringComparer.Ordinal);
        foreach (var fingerprint in snapshot.Serials.Select(s => s.CaFingerprint).Distinct(StringComparer.Ordinal).Where(f => !known.ContainsKey(f)))
        {
            // A CA no longer in the key ring (rotated out): its key is in any certificate it signed.
            if (await store.AnyCertificateOfCaAsync(fingerprint, cancellationToken) is { } text)
            {
                try
                {
                    var ca = SshCertificateParser.ParseLine(text).SignatureKey;
                    if (ca.Fingerprint == fingerprint)
                    {
                        known[fingerprint] = ca;
                    }
                }
                catch (SshFormatException e)
                {
                    logger.LogError(e, "a stored certificate of CA {Fingerprint} does not parse", fingerprint);
                }
            }
        }
        return known;
    }

    private static string StrongETag(byte[] content) => $"\"{Convert.ToHexStringLower(SHA256.HashData(content))}\"";
}
