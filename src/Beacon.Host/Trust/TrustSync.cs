using Beacon.Client;
using Beacon.Host.Files;
using Beacon.Host.Sshd;
using Beacon.Ssh;
using Beacon.Ssh.Krl;
using Beacon.Trust.Bundle;

namespace Beacon.Host.Trust;

/// <summary>
/// One `beacon-host sync`, DESIGN flow 4: a conditional GET of the bundle; verify it with the pinned key;
/// refuse a lower version; fetch and verify the KRL; write the files atomically; sshd -t; reload; and put
/// back the last good files if sshd refuses them. Anything wrong leaves the installed trust as it was.
/// </summary>
public sealed class TrustSync(HostPaths paths, HostConfig config, BeaconClient client, SshdControl sshd, Action<string> progress)
{
    private readonly TrustFileStore _live = new(paths.TrustDirectory);
    private readonly TrustFileStore _lastGood = new(paths.LastGoodDirectory);

    /// <summary>Runs the sync and returns the state to record with what it did.</summary>
    /// <exception cref="HostException">Refused or failed; the message says what and why, the installed files are the last good ones.</exception>
    public async Task<(SyncResult Result, HostState State)> RunAsync(HostState state, CancellationToken cancellationToken)
    {
        var pinned = PinnedBundleKey.Load(paths);
        var installed = LoadInstalledBundle(pinned, state);
        var filesPresent = _live.IsComplete;

        // 1. The bundle, conditionally: with nothing changed this 304 is the whole cost of a sync.
        var bundleAnswer = await Fetch(() => client.GetTrustBundleAsync(installed is not null && filesPresent ? state.BundleEtag : null, cancellationToken), "bundle");
        TrustBundle bundle;
        var bundleChanged = false;
        byte[]? newBundle = null, newBundleSignature = null;
        if (bundleAnswer.NotModified && installed is not null)
        {
            bundle = installed;
            progress($"bundle: not modified (version {bundle.Version})");
        }
        else
        {
            var signature = await Fetch(() => client.GetTrustBundleSignatureAsync(null, cancellationToken), "bundle signature");
            var offered = pinned.Verify(bundleAnswer.Content, signature.Content, "bundle");
            if (state.BundleVersion is { } current && offered.Version < current)
            {
                throw new HostException($"rollback attempted: server offers version {offered.Version}, installed {current}");
            }
            bundleChanged = installed is null || offered.Version > installed.Version;
            bundle = bundleChanged ? offered : installed!;
            if (bundleChanged)
            {
                (newBundle, newBundleSignature) = (bundleAnswer.Content, signature.Content);
            }
            progress(bundleChanged ? $"bundle: version {offered.Version} verified with the pinned key {pinned.Key.Fingerprint}" : $"bundle: version {offered.Version} is the installed one");
        }

        // 2. The KRL: revocations change without a new bundle version. The bundle's answer names the current
        // KRL version; when that is the installed one, nothing is asked (a sync with nothing changed is one
        // request). Otherwise it is asked for, conditionally.
        var krlNamed = bundleAnswer.KrlVersion is { } named && state.KrlVersion is { } mine && (ulong)named == mine;
        var krlAnswer = filesPresent && !bundleChanged && krlNamed
            ? TrustResource.Unchanged(state.KrlEtag)
            : await Fetch(() => client.GetKrlAsync(filesPresent && !bundleChanged ? state.KrlEtag : null, cancellationToken), "KRL");
        byte[] krlBytes;
        ulong krlVersion;
        if (krlAnswer.NotModified && filesPresent && !bundleChanged)
        {
            krlBytes = AtomicFile.ReadBounded(_live.RevokedKeysFile, BeaconClient.MaxKrlBytes) ?? [];
            krlVersion = state.KrlVersion ?? ReadKrlVersion(krlBytes);
            progress($"KRL: not modified (version {krlVersion})");
        }
        else
        {
            var signature = await Fetch(() => client.GetKrlSignatureAsync(null, cancellationToken), "KRL signature");
            var krl = KrlVerification.Verify(krlAnswer.Content, signature.Content, bundle);
            if (state.KrlVersion is { } currentKrl && krl.Version < currentKrl)
            {
                throw new HostException($"KRL rollback attempted: server offers version {krl.Version}, installed {currentKrl}");
            }
            (krlBytes, krlVersion) = (krlAnswer.Content, krl.Version);
            progress($"KRL: version {krl.Version} verified ({krlBytes.Length} bytes)");
        }

        var files = TrustFileSet.Build(bundle, krlBytes, config.Groups);
        var next = state with
        {
            BundleVersion = bundle.Version,
            BundleEtag = bundleAnswer.ETag ?? state.BundleEtag,
            KrlVersion = krlVersion,
            KrlEtag = krlAnswer.ETag ?? state.KrlEtag,
        };
        if (_live.Matches(files))
        {
            SaveInstalledBundle(newBundle, newBundleSignature);
            if (!_lastGood.Matches(files))
            {
                _lastGood.Write(files);
            }
            return (new SyncResult(false, bundle.Version, krlVersion), next);
        }

        // 3. Install, check, reload; on any refusal go back to the last files sshd accepted.
        progress($"writing {paths.TrustDirectory}: {bundle.UserCaKeys.Count} user CA key(s), {files.Principals.Count} principals file(s)");
        _live.Write(files);
        if (sshd.Validate() is { } invalid)
        {
            throw new HostException($"{Rollback()}: sshd refused the new files: {invalid}");
        }
        if (sshd.Reload() is { } notReloaded)
        {
            throw new HostException($"{Rollback()}: {notReloaded}");
        }
        _lastGood.Write(files);
        SaveInstalledBundle(newBundle, newBundleSignature);
        progress("sshd accepted the files and reloaded");
        return (new SyncResult(true, bundle.Version, krlVersion), next);
    }

    private string Rollback()
    {
        if (_lastGood.Read() is { } good)
        {
            _live.Write(good);
            return "rolled back to the last good trust";
        }
        _live.Clear();
        return "removed the new files (there was no earlier good trust)";
    }

    /// <summary>The installed bundle, re-verified from its stored bytes; null when there is none or it no longer verifies.</summary>
    private TrustBundle? LoadInstalledBundle(PinnedBundleKey pinned, HostState state)
    {
        var document = AtomicFile.ReadBounded(paths.InstalledBundleFile, BeaconClient.MaxBundleBytes);
        var signature = AtomicFile.ReadBounded(paths.InstalledBundleSignatureFile, BeaconClient.MaxSignatureBytes);
        if (document is null || signature is null || state.BundleVersion is null)
        {
            return null;
        }
        try
        {
            var bundle = pinned.Verify(document, signature, "installed bundle");
            return bundle.Version == state.BundleVersion ? bundle : null;
        }
        catch (HostException e)
        {
            progress($"{e.Message}; fetching it again");
            return null;
        }
    }

    private void SaveInstalledBundle(byte[]? document, byte[]? signature)
    {
        if (document is null || signature is null)
        {
            return;
        }
        AtomicFile.Write(paths.InstalledBundleFile, document, FileModes.Public);
        AtomicFile.Write(paths.InstalledBundleSignatureFile, signature, FileModes.Public);
    }

    private static ulong ReadKrlVersion(byte[] krl)
    {
        try
        {
            return KrlParser.Parse(krl).Version;
        }
        catch (SshFormatException)
        {
            return 0;
        }
    }

    private static async Task<TrustResource> Fetch(Func<Task<TrustResource>> get, string what)
    {
        try
        {
            return await get();
        }
        catch (BeaconApiException e)
        {
            var status = e.Status == 0 ? "" : $" (HTTP {e.Status})";
            throw new HostException($"{what}: {e.Title}{status}: {e.Detail}; keeping the installed trust", e);
        }
    }
}
