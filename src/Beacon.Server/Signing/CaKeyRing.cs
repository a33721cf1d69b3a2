using System.Security.Cryptography;
using Beacon.Server.Ca;
using Beacon.Server.Keys;
using Beacon.Server.Storage;
using Beacon.Ssh;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Signing;

/// <summary>
/// The live view of the CA keys the server signs with and the keys verifiers trust. The keys live in the
/// database (ca_keys, shared by replicas); the data directory's keys seed an empty table as the active
/// ones. <see cref="RefreshAsync"/> reloads the view (every couple of seconds, and at once after a change
/// made in this process); each private key is decrypted once and kept in memory, never logged.
/// </summary>
public sealed class CaKeyRing : IDisposable
{
    private readonly SshPrivateKey[] _seeds;
    private readonly byte[] _password;
    private readonly int _iterations;
    private readonly Dictionary<long, SshPrivateKey> _decrypted = [];
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IReadOnlyList<CaKeyRecord>? _rows;
    private volatile Snapshot _snapshot;

    /// <param name="userCa">The data directory's user CA key: the active one until the database says otherwise.</param>
    /// <param name="hostCa">The data directory's host CA key, likewise.</param>
    /// <param name="password">
    /// The CA password, to decrypt keys another process made and to encrypt new ones. Copied. Without one
    /// (tests), a random password is used, so keys this ring stores open only in this process.
    /// </param>
    public CaKeyRing(SshPrivateKey userCa, SshPrivateKey hostCa, ReadOnlySpan<byte> password = default)
    {
        _seeds = [userCa, hostCa];
        _password = password.IsEmpty ? RandomNumberGenerator.GetBytes(32) : password.ToArray();
        // 32 random bytes need no key stretching; an operator's password does.
        _iterations = password.IsEmpty ? EncryptedKeyFile.MinIterations : EncryptedKeyFile.DefaultIterations;
        _snapshot = new Snapshot(userCa, hostCa,
        [
            new CaKeyEntry(0, CaKind.User, CaKeyState.Active, userCa.PublicKey, null, null, null),
            new CaKeyEntry(0, CaKind.Host, CaKeyState.Active, hostCa.PublicKey, null, null, null),
        ]);
    }

    /// <summary>The active user CA key: what user certificates are signed with now.</summary>
    public SshPrivateKey UserCa => _snapshot.UserCa;

    /// <summary>The active host CA key.</summary>
    public SshPrivateKey HostCa => _snapshot.HostCa;

    /// <summary>Every CA key known, both kinds and every state (the subject-key check refuses them all; the KRL resolves them).</summary>
    public IReadOnlyList<SshPublicKey> PublicKeys => [.. _snapshot.Keys.Select(k => k.PublicKey)];

    /// <summary>Every key and its state, oldest first.</summary>
    public IReadOnlyList<CaKeyEntry> Keys => _snapshot.Keys;

    /// <summary>Raised by one each time <see cref="RefreshAsync"/> finds a change.</summary>
    public long Generation { get; private set; }

    /// <summary>Every key of a kind that verifiers must trust now (active, and during a rotation next and previous).</summary>
    public IReadOnlyList<SshPublicKey> Trusted(CaKind kind) =>
        [.. _snapshot.Keys.Where(k => k.Kind == kind && k.State != CaKeyState.Retired).Select(k => k.PublicKey)];

    /// <summary>The CA password (for the lifecycle to encrypt a new key); the caller must not keep or log it.</summary>
    internal ReadOnlySpan<byte> Password => _password;

    /// <summary>Encrypts a new CA key under the CA password, as the ca_keys table stores it.</summary>
    internal byte[] Encrypt(SshPrivateKey key, string comment) => EncryptedKeyFile.Encrypt(key, _password, comment, _iterations);

    /// <summary>Decrypts both CA keys of a CA directory (the break-glass CA's layout, <see cref="OfflineCaDirectory"/>).</summary>
    /// <exception cref="CaException">Missing files, a wrong password or a corrupted key.</exception>
    public static CaKeyRing Load(string directory, ReadOnlySpan<byte> password)
    {
        var ca = new OfflineCaDirectory(directory);
        var user = ca.LoadPrivateKey(CaKind.User, password);
        try
        {
            return new CaKeyRing(user, ca.LoadPrivateKey(CaKind.Host, password), password);
        }
        catch
        {
            user.Dispose();
            throw;
        }
    }

    /// <summary>Stores the seed keys as the active ones for each kind the table has no key for yet (a first start).</summary>
    /// <exception cref="StoreUnavailableException">The database cannot be written.</exception>
    public async Task ImportSeedsAsync(ITrustStore store, long nowMs, string actor, CancellationToken cancellationToken)
    {
        var existing = await store.ListCaKeysAsync(cancellationToken);
        var missing = new[] { CaKind.User, CaKind.Host }.Where(kind => !existing.Any(e => e.Kind == CaKindText.Of(kind))).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        var keys = missing.Select(kind =>
        {
            var seed = _seeds[kind == CaKind.User ? 0 : 1];
            return new NewCaKey(CaKindText.Of(kind), seed.PublicKey.ToOpenSshString(), seed.PublicKey.Fingerprint,
                EncryptedKeyFile.Encrypt(seed, _password, $"beacon {CaKindText.Of(kind)} CA", _iterations));
        }).ToList();
        await store.ImportActiveCaKeysAsync(keys, nowMs, record => new Audit.AuditDraft("ca.import", Audit.AuditOutcome.Success, actor, record.Fingerprint,
            new Dictionary<string, object?> { ["kind"] = record.Kind, ["key_id"] = record.Id, ["source"] = "data directory" }), cancellationToken);
    }

    /// <summary>Reloads the keys from the database; true when anything changed.</summary>
    /// <exception cref="StoreUnavailableException">The database cannot be read.</exception>
    /// <exception cref="CaException">An active key that does not open with the password or does not match its public key (the view is kept).</exception>
    public async Task<bool> RefreshAsync(ITrustStore store, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var rows = await store.ListCaKeysAsync(cancellationToken);
            if (_rows is not null && rows.SequenceEqual(_rows))
            {
                return false;
            }
            var user = await ActiveKeyAsync(store, rows, CaKind.User, cancellationToken) ?? _snapshot.UserCa;
            var host = await ActiveKeyAsync(store, rows, CaKind.Host, cancellationToken) ?? _snapshot.HostCa;
            var entries = rows.Select(r => new CaKeyEntry(r.Id, CaKindText.Parse(r.Kind), r.State, SshPublicKeyParser.ParseLine(r.PublicKey),
                At(r.CreatedAt), r.ActivatedAt is { } a ? At(a) : null, r.RetiredAt is { } t ? At(t) : null)).ToList();
            if (entries.Count == 0)
            {
                entries = [.. _snapshot.Keys];
            }
            _snapshot = new Snapshot(user, host, entries);
            _rows = rows;
            Generation++;
            return true;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<SshPrivateKey?> ActiveKeyAsync(ITrustStore store, IReadOnlyList<CaKeyRecord> rows, CaKind kind, CancellationToken cancellationToken)
    {
        var row = rows.SingleOrDefault(r => r.Kind == CaKindText.Of(kind) && r.State == CaKeyState.Active);
        if (row is null)
        {
            return null;
        }
        if (_decrypted.TryGetValue(row.Id, out var known))
        {
            return known;
        }
        var expected = SshPublicKeyParser.ParseLine(row.PublicKey);
        var key = _seeds.FirstOrDefault(s => s.PublicKey.Equals(expected));
        if (key is null)
        {
            var encrypted = await store.ReadEncryptedCaKeyAsync(row.Id, cancellationToken)
                ?? throw new CaException($"{CaKindText.Of(kind)} CA key {row.Id} ({row.Fingerprint}) has no private key stored");
            try
            {
                key = EncryptedKeyFile.Decrypt(encrypted, _password);
            }
            catch (EncryptedKeyFileException)
            {
                throw new CaException($"{CaKindText.Of(kind)} CA key {row.Id} ({row.Fingerprint}): the CA password does not open it");
            }
            // A row whose private key is another key's would sign with a key hosts were never told to trust.
            if (!key.PublicKey.Equals(expected))
            {
                key.Dispose();
                throw new CaException($"{CaKindText.Of(kind)} CA key {row.Id}: the private key does not match {row.Fingerprint}");
            }
        }
        _decrypted[row.Id] = key;
        return key;
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public void Dispose()
    {
        foreach (var key in _decrypted.Values.Concat(_seeds).Distinct())
        {
            key.Dispose();
        }
        CryptographicOperations.ZeroMemory(_password);
    }

    private sealed record Snapshot(SshPrivateKey UserCa, SshPrivateKey HostCa, IReadOnlyList<CaKeyEntry> Keys);
}

/// <summary>One CA key in the live view.</summary>
/// <param name="Id">The database id (0 for a data-directory key not yet stored).</param>
/// <param name="State">next, active, previous or retired (<see cref="CaKeyState"/>).</param>
public sealed record CaKeyEntry(long Id, CaKind Kind, string State, SshPublicKey PublicKey, DateTimeOffset? CreatedAt, DateTimeOffset? ActivatedAt, DateTimeOffset? RetiredAt);
