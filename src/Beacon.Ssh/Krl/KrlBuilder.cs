using System.Security.Cryptography;
using System.Text;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Krl;

/// <summary>
/// Collects revocations and makes a <see cref="KeyRevocationList"/>. Serials are held as ranges, so a
/// million of them cost a few arrays, and <see cref="Build"/> writes each CA's serials as the smallest mix
/// of list, range and bitmap sections that OpenSSH reads. Not thread-safe.
/// </summary>
public sealed class KrlBuilder
{
    private readonly TimeProvider _clock;
    private readonly List<CaEntry> _sections = [];
    private readonly Dictionary<byte[], CaEntry> _byCa = new(KrlOrdering.Instance);
    private readonly List<byte[]> _explicitKeys = [];
    private readonly List<byte[]> _sha1 = [];
    private readonly List<byte[]> _sha256 = [];
    private CaEntry? _anyCa;
    private SshPublicKey? _lastCa;
    private CaEntry? _lastEntry;
    private string _comment = "";

    /// <param name="clock">Gives the generated date when <see cref="GeneratedDate"/> is not set; the system clock by default.</param>
    public KrlBuilder(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The KRL's version (krl_version); raise it each time the list changes.</summary>
    public ulong Version { get; set; }

    /// <summary>Seconds since the Unix epoch; null takes the clock's time when the KRL is made.</summary>
    public ulong? GeneratedDate { get; set; }

    /// <summary>No flags are defined; 0 unless preserving a parsed KRL's value.</summary>
    public ulong Flags { get; set; }

    /// <summary>A free-text comment, stored in the KRL.</summary>
    /// <exception cref="ArgumentException">Contains a NUL or is not valid Unicode.</exception>
    public string Comment
    {
        get => _comment;
        set => _comment = CheckText(value, nameof(Comment));
    }

    /// <summary>Starts from everything a KRL revokes, with its header, to add more.</summary>
    public static KrlBuilder From(KeyRevocationList krl, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(krl);
        var builder = new KrlBuilder(clock)
        {
            Version = krl.Version,
            GeneratedDate = krl.GeneratedDate,
            Flags = krl.Flags,
            Comment = krl.Comment,
        };
        foreach (var section in krl.CertificateSections)
        {
            var entry = builder.EntryFor(section.CaKey);
            entry.Serials.AddAll(section.Serials);
            entry.KeyIds.UnionWith(section.KeyIds);
        }
        builder._explicitKeys.AddRange(krl.ExplicitKeyBlobs);
        builder._sha1.AddRange(krl.Sha1Hashes);
        builder._sha256.AddRange(krl.Sha256Hashes);
        return builder;
    }

    /// <summary>Revokes one serial of the CA's certificates (null CA: of any CA's).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Serial 0, which means "no serial" and which OpenSSH refuses to revoke.</exception>
    public KrlBuilder RevokeSerial(SshPublicKey? ca, ulong serial) => RevokeSerialRange(ca, serial, serial);

    /// <summary>Revokes each of the serials of the CA's certificates (null CA: of any CA's).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A serial is 0.</exception>
    public KrlBuilder RevokeSerials(SshPublicKey? ca, IEnumerable<ulong> serials)
    {
        ArgumentNullException.ThrowIfNull(serials);
        var entry = EntryFor(ca);
        foreach (var serial in serials)
        {
            ArgumentOutOfRangeException.ThrowIfZero(serial, nameof(serials));
            entry.Serials.Add(serial, serial);
        }
        return this;
    }

    /// <summary>Revokes serials first to last inclusive of the CA's certificates (null CA: of any CA's).</summary>
    /// <exception cref="ArgumentOutOfRangeException">First is 0 or above last.</exception>
    public KrlBuilder RevokeSerialRange(SshPublicKey? ca, ulong first, ulong last)
    {
        ArgumentOutOfRangeException.ThrowIfZero(first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, last);
        EntryFor(ca).Serials.Add(first, last);
        return this;
    }

    /// <summary>Revokes every certificate with this key ID from the CA (null CA: from any CA).</summary>
    /// <exception cref="ArgumentException">The key ID contains a NUL or is not valid Unicode.</exception>
    public KrlBuilder RevokeKeyId(SshPublicKey? ca, string keyId)
    {
        EntryFor(ca).KeyIds.Add(CheckText(keyId, nameof(keyId)));
        return this;
    }

    /// <summary>Revokes a certificate by its serial under its CA, or by its key ID when its serial is 0, as ssh-keygen does.</summary>
    public KrlBuilder RevokeCertificate(SshCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.Serial != 0
            ? RevokeSerial(certificate.SignatureKey, certificate.Serial)
            : RevokeKeyId(certificate.SignatureKey, certificate.KeyId);
    }

    /// <summary>Revokes a plain key explicitly; certificates for it are revoked too.</summary>
    public KrlBuilder RevokeKey(SshPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _explicitKeys.Add(key.Blob.ToArray());
        return this;
    }

    /// <summary>Revokes a plain key (and certificates for it) by the SHA256 hash of its blob.</summary>
    public KrlBuilder RevokeKeyBySha256(SshPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _sha256.Add(SHA256.HashData(key.Blob));
        return this;
    }

    /// <summary>Revokes the key whose blob has this SHA256 hash (the raw 32 bytes behind a "SHA256:" fingerprint).</summary>
    /// <exception cref="ArgumentException">Not 32 bytes.</exception>
    public KrlBuilder RevokeSha256(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != KrlFormat.Sha256Length)
        {
            throw new ArgumentException($"a SHA256 hash is {KrlFormat.Sha256Length} bytes, not {hash.Length}", nameof(hash));
        }
        _sha256.Add(hash.ToArray());
        return this;
    }

    /// <summary>Revokes a plain key (and certificates for it) by the SHA1 hash of its blob.</summary>
    public KrlBuilder RevokeKeyBySha1(SshPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _sha1.Add(SHA1.HashData(key.Blob));
        return this;
    }

    /// <summary>Revokes the key whose blob has this SHA1 hash.</summary>
    /// <exception cref="ArgumentException">Not 20 bytes.</exception>
    public KrlBuilder RevokeSha1(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != KrlFormat.Sha1Length)
        {
            throw new ArgumentException($"a SHA1 hash is {KrlFormat.Sha1Length} bytes, not {hash.Length}", nameof(hash));
        }
        _sha1.Add(hash.ToArray());
        return this;
    }

    /// <summary>The KRL as an immutable, normalised model.</summary>
    public KeyRevocationList ToKeyRevocationList() =>
        KeyRevocationList.Create(
            Version,
            GeneratedDate ?? (ulong)_clock.GetUtcNow().ToUnixTimeSeconds(),
            Flags,
            Comment,
            _sections.Select(e => new KrlCertificateSection(e.Ca, e.Serials.ToSet(), KrlOrdering.SortDistinct(e.KeyIds))),
            _explicitKeys,
            _sha1,
            _sha256,
            []);

    /// <summary>The KRL in its binary form, ready for sshd's RevokedKeys. It carries no signature section.</summary>
    public byte[] Build() => ToKeyRevocationList().Encode();

    private CaEntry EntryFor(SshPublicKey? ca)
    {
        // Bulk revocations name the same CA over and over: skip the dictionary for the same key object.
        if (_lastEntry is not null && ReferenceEquals(ca, _lastCa))
        {
            return _lastEntry;
        }
        CaEntry entry;
        if (ca is null)
        {
            entry = _anyCa ??= AddEntry(null);
        }
        else
        {
            var blob = ca.Blob.ToArray();
            if (!_byCa.TryGetValue(blob, out var found))
            {
                found = AddEntry(ca);
                _byCa[blob] = found;
            }
            entry = found;
        }
        _lastCa = ca;
        _lastEntry = entry;
        return entry;
    }

    private CaEntry AddEntry(SshPublicKey? ca)
    {
        var entry = new CaEntry(ca);
        _sections.Add(entry);
        return entry;
    }

    private static string CheckText(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        // OpenSSH reads these as C strings: a NUL would cut the value short in sshd.
        if (value.Contains('\0'))
        {
            throw new ArgumentException("contains a NUL character", name);
        }
        try
        {
            SshReader.StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException("is not valid Unicode (a lone surrogate)", name);
        }
        return value;
    }

    private sealed class CaEntry(SshPublicKey? ca)
    {
        public SshPublicKey? Ca { get; } = ca;

        public KrlSerialSetBuilder Serials { get; } = new();

        public HashSet<string> KeyIds { get; } = new(StringComparer.Ordinal);
    }
}
