using System.Security.Cryptography;
using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Krl;

/// <summary>Collects revocations and builds a <see cref="KeyRevocationList"/>.</summary>
public sealed class KrlBuilder
{
    private readonly Dictionary<SshPublicKey, (List<SerialRange> Serials, HashSet<string> KeyIds)> _byCa = [];
    private readonly (List<SerialRange> Serials, HashSet<string> KeyIds) _anyCa = ([], []);
    private readonly List<byte[]> _explicit = [];
    private readonly List<byte[]> _sha256 = [];

    /// <summary>Revokes one serial of a CA's certificates; a null CA means every CA.</summary>
    public KrlBuilder RevokeSerial(SshPublicKey? ca, ulong serial) => RevokeSerialRange(ca, serial, serial);

    /// <summary>Revokes serials lo..hi inclusive.</summary>
    /// <exception cref="ArgumentException">lo is above hi, or lo is 0 (OpenSSH refuses serial 0 in a KRL).</exception>
    public KrlBuilder RevokeSerialRange(SshPublicKey? ca, ulong lo, ulong hi)
    {
        if (lo > hi || lo == 0)
        {
            throw new ArgumentException($"serial range {lo}-{hi} is empty or includes 0");
        }
        For(ca).Serials.Add(new SerialRange(lo, hi));
        return this;
    }

    /// <summary>Revokes every certificate of the CA with this key ID.</summary>
    public KrlBuilder RevokeKeyId(SshPublicKey? ca, string keyId)
    {
        For(ca).KeyIds.Add(keyId);
        return this;
    }

    /// <summary>Revokes a plain key by its blob (and every certificate of it).</summary>
    public KrlBuilder RevokeKey(SshPublicKey key)
    {
        _explicit.Add(key.Blob.ToArray());
        return this;
    }

    /// <summary>Revokes a plain key by its SHA-256 hash, without naming the key itself.</summary>
    public KrlBuilder RevokeKeySha256(SshPublicKey key)
    {
        _sha256.Add(SHA256.HashData(key.Blob));
        return this;
    }

    public KeyRevocationList Build(ulong version, DateTimeOffset generated, string comment = "")
    {
        var sections = new List<KrlCertificateSection>();
        if (_anyCa.Serials.Count > 0 || _anyCa.KeyIds.Count > 0)
        {
            sections.Add(new KrlCertificateSection(null, _anyCa.Serials, _anyCa.KeyIds));
        }
        foreach (var (ca, revoked) in _byCa.OrderBy(kv => Convert.ToBase64String(kv.Key.Blob), StringComparer.Ordinal))
        {
            sections.Add(new KrlCertificateSection(ca, revoked.Serials, revoked.KeyIds));
        }
        return new KeyRevocationList(version, (ulong)Math.Max(0, generated.ToUnixTimeSeconds()), comment, sections, _explicit, [], _sha256);
    }

    private (List<SerialRange> Serials, HashSet<string> KeyIds) For(SshPublicKey? ca)
    {
        if (ca is null)
        {
            return _anyCa;
        }
        if (!_byCa.TryGetValue(ca, out var entry))
        {
            entry = ([], new HashSet<string>(StringComparer.Ordinal));
            _byCa[ca] = entry;
        }
        return entry;
    }
}
