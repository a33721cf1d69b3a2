using System.Security.Cryptography;
using Beacon.Server.Audit;
using Beacon.Server.Ca;
using Beacon.Server.CaLifecycle;
using Beacon.Server.Keys;
using Beacon.Server.Revocation;
using Beacon.Server.Storage;
using Beacon.Server.Trust;
using Beacon.Trust.OpenPgp;

namespace Beacon.Server.Commands;

/// <summary>
/// What `beacon-server ca` and `bundle` need on a data directory: the store, the bundle publisher and the
/// CA lifecycle, wired as the server wires them. The CA password is read only when a step needs it
/// (a new key to encrypt, the server-held bundle key to sign with). On a data directory whose server has
/// never started, the directory's CA keys are stored as the active ones first, as the server would.
/// </summary>
internal sealed class LocalTrustContext : IDisposable
{
    private readonly LocalServerContext _context;
    private byte[]? _password;
    private OpenPgpSigningKey? _bundleKey;

    private LocalTrustContext(LocalServerContext context)
    {
        _context = context;
        var revocation = RevocationKeyFiles.PublicKeyPath(context.Data.CaDirectory);
        var (revocationKey, _) = PublicKeyFile.Read(revocation);
        Publisher = new TrustBundlePublisher(context.Store, context.Store, context.Options.Trust, revocationKey, () => BundleKey, TimeProvider.System);
        Lifecycle = new CaLifecycleService(context.Store, context.Store, Publisher, TimeProvider.System, key => EncryptedKeyFile.Encrypt(key, Password, "beacon CA"));
        Signatures = new BundleSignatures(context.Store, context.Store, context.Options.Trust, TimeProvider.System);
    }

    public LocalServerContext Server => _context;

    public SqlBeaconStore Store => _context.Store;

    public TrustBundlePublisher Publisher { get; }

    public CaLifecycleService Lifecycle { get; }

    public BundleSignatures Signatures { get; }

    /// <summary>The CA password, read from Beacon:PasswordFile (default DATA/secrets/ca-password) on first use.</summary>
    public byte[] Password => _password ??= PasswordFile.Read(_context.Options.PasswordFile ?? _context.Data.DefaultPasswordFile);

    private OpenPgpSigningKey BundleKey => _bundleKey ??= BundleSigningKeyFiles.LoadOrCreate(_context.Data, Password, TimeProvider.System.GetUtcNow(), out _);

    /// <exception cref="CommandException">Not initialised, or the database is unavailable.</exception>
    /// <exception cref="CaException">The data directory's key files cannot be read.</exception>
    public static async Task<LocalTrustContext> OpenAsync(string dataDir, CancellationToken cancellationToken)
    {
        var context = await LocalServerContext.OpenAsync(dataDir, cancellationToken);
        try
        {
            var trust = new LocalTrustContext(context);
            await trust.ImportDataDirectoryKeysAsync(cancellationToken);
            return trust;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Checks the CA password opens the active key of a kind, so a new key is never stored under another password.</summary>
    /// <exception cref="CaException">It does not.</exception>
    public async Task CheckPasswordAsync(CaKind kind, CancellationToken cancellationToken)
    {
        var active = (await Store.ListCaKeysAsync(cancellationToken)).SingleOrDefault(k => k.Kind == CaKindText.Of(kind) && k.State == CaKeyState.Active);
        if (active is null || await Store.ReadEncryptedCaKeyAsync(active.Id, cancellationToken) is not { } encrypted)
        {
            return;
        }
        try
        {
            EncryptedKeyFile.Decrypt(encrypted, Password).Dispose();
        }
        catch (EncryptedKeyFileException)
        {
            throw new CaException($"the CA password (Beacon:PasswordFile) does not open the active {CaKindText.Of(kind)} CA key {active.Fingerprint}");
        }
    }

    private async Task ImportDataDirectoryKeysAsync(CancellationToken cancellationToken)
    {
        var existing = await Store.ListCaKeysAsync(cancellationToken);
        var directory = new OfflineCaDirectory(_context.Data.CaDirectory);
        var missing = new[] { CaKind.User, CaKind.Host }.Where(kind => !existing.Any(e => e.Kind == CaKindText.Of(kind))).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        // The key files are EncryptedKeyFiles under the CA password already: stored as they are, nothing decrypted.
        var keys = missing.Select(kind =>
        {
            var key = directory.LoadPublicKey(kind);
            return new NewCaKey(CaKindText.Of(kind), key.ToOpenSshString(), key.Fingerprint, File.ReadAllBytes(directory.PrivateKeyPath(kind)));
        }).ToList();
        await Store.ImportActiveCaKeysAsync(keys, _context.NowMs, record => new AuditDraft("ca.import", AuditOutcome.Success, LocalServerContext.Actor, record.Fingerprint,
            new Dictionary<string, object?> { ["kind"] = record.Kind, ["key_id"] = record.Id, ["source"] = "data directory" }), cancellationToken);
    }

    public void Dispose()
    {
        _bundleKey?.Dispose();
        if (_password is not null)
        {
            CryptographicOperations.ZeroMemory(_password);
        }
        _context.Dispose();
    }
}
