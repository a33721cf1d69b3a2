using Beacon.Host.Tests.Support;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Beacon.Trust.OpenPgp;

namespace Beacon.Host.Tests.Sync;

/// <summary>
/// `beacon-host sync` against an HTTPS double of the server's trust endpoints, with a real sshd as the
/// judge of the files it writes: what is installed works, and anything wrong (tampered, foreign-signed,
/// replayed, truncated, a refused config, a server down) leaves the last good trust byte for byte.
/// </summary>
public sealed class SyncTests : IAsyncLifetime
{
    private TrustServerDouble _server = null!;
    private readonly TestTrustAuthority _authority = new();

    public async Task InitializeAsync()
    {
        _server = await TrustServerDouble.StartAsync();
        _authority.Publish(_server, _authority.Bundle(1));
        _authority.PublishKrl(_server, 1);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _authority.Dispose();
    }

    private ManagedHost Host(params string[] groups) =>
        ManagedHost.Start(_server.Url, _server.Fingerprint, _authority.BundleKey.ExportPublicArmored(), groups);

    [RequiresOpenSshFact]
    public void AfterSyncAGroupCertificateLogsInAndTheFilesAreWhatSshdReads()
    {
        using var host = Host("prod");
        host.SyncAndInstall();
        using var key = Ed25519PrivateKey.Generate();
        var login = host.Login(key, _authority.UserCertificate(key.PublicKey, 100, "root@prod"));
        Assert.True(login.ExitCode == 0, $"{login}\n{host.Sshd.Log}");
        Assert.Equal("root@prod\n", File.ReadAllText(Path.Combine(host.Root.Paths.PrincipalsDirectory, "root")));
        var state = host.Root.State();
        Assert.Equal(1, state.BundleVersion);
        Assert.Equal("installed", state.LastOutcome);
    }

    [RequiresOpenSshFact]
    public void ACertificateForAnotherGroupOrForTheBareAccountIsRefused()
    {
        using var host = Host("prod");
        host.SyncAndInstall();
        using var key = Ed25519PrivateKey.Generate();
        Assert.NotEqual(0, host.Login(key, _authority.UserCertificate(key.PublicKey, 101, "root@runners")).ExitCode);
        // Not scoped to a group: the principals file lists only ACCOUNT@GROUP, so sshd refuses it here.
        Assert.NotEqual(0, host.Login(key, _authority.UserCertificate(key.PublicKey, 102, "root")).ExitCode);
    }

    [RequiresOpenSshFact]
    public void AGroupACertificateOpensAGroupAHostAndNotAGroupBHost()
    {
        using var prod = Host("prod");
        using var runners = Host("runners");
        prod.SyncAndInstall();
        runners.SyncAndInstall();
        using var key = Ed25519PrivateKey.Generate();
        var certificate = _authority.UserCertificate(key.PublicKey, 103, "root@prod");
        Assert.Equal(0, prod.Login(key, certificate).ExitCode);
        var refused = runners.Login(key, certificate);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Equal(0, runners.Login(key, _authority.UserCertificate(key.PublicKey, 104, "root@runners")).ExitCode);
    }

    [RequiresOpenSshFact]
    public void NothingChangedCostsOneConditionalRequestPerResourceAndNoReload()
    {
        using var host = Host("prod");
        host.SyncAndInstall();
        _server.ClearRequests();
        var before = host.Root.TrustSnapshot();
        var sighups = Count(host.Sshd.Log, "Received SIGHUP");
        var sync = host.Root.Run("sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        // Not a terminal and no --verbose: a timer's run prints nothing.
        Assert.Equal("", sync.StandardOutput);
        Assert.Equal(["GET /v1/trust/bundle -> 304", "GET /v1/trust/krl -> 304"], _server.Requests);
        Assert.Equal("unchanged", host.Root.State().LastOutcome);
        Assert.Equal(before, host.Root.TrustSnapshot());
        Assert.Equal(sighups, Count(host.Sshd.Log, "Received SIGHUP"));
    }

    [RequiresOpenSshFact]
    public void ARevokedCertificateIsRefusedAfterTheNextSyncAndSshKeygenAgrees()
    {
        using var host = Host("prod");
        host.SyncAndInstall();
        using var key = Ed25519PrivateKey.Generate();
        var certificate = _authority.UserCertificate(key.PublicKey, 4242, "root@prod");
        Assert.Equal(0, host.Login(key, certificate).ExitCode);

        _authority.PublishKrl(_server, 2, 4242);
        var sync = host.RunAndAwaitReload("sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.NotEqual(0, host.Login(key, certificate).ExitCode);
        using var temp = new TempDirectory();
        var query = OpenSsh.Keygen("-Q", "-f", host.Root.Paths.RevokedKeysFile, temp.Write("cert.pub", certificate.ToOpenSshString() + "\n"));
        Assert.True(query.ExitCode != 0 && query.StandardOutput.Contains("REVOKED", StringComparison.Ordinal), query.ToString());
        Assert.Equal(2UL, host.Root.State().KrlVersion);
    }

    [RequiresOpenSshFact]
    public void ANewUserCaKeyInANewerBundleIsTrustedAfterSync()
    {
        using var host = Host("prod");
        host.SyncAndInstall();
        using var next = Ed25519PrivateKey.Generate();
        _authority.Publish(_server, _authority.Bundle(2, next.PublicKey));
        var sync = host.RunAndAwaitReload("sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains(next.PublicKey.ToOpenSshString(), File.ReadAllText(host.Root.Paths.TrustedUserCaKeysFile), StringComparison.Ordinal);
        Assert.Equal(2, host.Root.State().BundleVersion);
    }

    public static TheoryData<string> Tampering => new() { "altered bytes", "signed by another key", "signature of another bundle", "not JSON but signed" };

    [RequiresOpenSshTheory]
    [MemberData(nameof(Tampering))]
    public void ABundleThatDoesNotVerifyIsRefusedAndTheFilesStayByteForByte(string how)
    {
        using var host = Host("prod");
        host.SyncAndInstall();
        var before = host.Root.TrustSnapshot();
        using var next = Ed25519PrivateKey.Generate();
        var (document, signature) = _authority.Signed(_authority.Bundle(2, next.PublicKey));
        switch (how)
        {
            case "altered bytes":
                document = [.. document];
                document[Array.IndexOf(document, (byte)'2')] = (byte)'3';
                break;
            case "signed by another key":
                using (var other = OpenPgpSigningKey.Generate("intruder", DateTimeOffset.UtcNow.AddMinutes(-1)))
                {
                    signature = other.SignDetached(document, DateTimeOffset.UtcNow);
                }
                break;
            case "signature of another bundle":
                signature = _authority.Signed(_authority.Bundle(1)).Signature;
                break;
            case "not JSON but signed":
                document = "{ not json"u8.ToArray();
                signature = _authority.BundleKey.SignDetached(document, DateTimeOffset.UtcNow);
                break;
        }
        _server.PublishBundle(document, signature, 2);
        var sync = host.Root.Run("sync");
        Assert.Equal(1, sync.ExitCode);
        Assert.StartsWith("beacon-host: bundle refused: ", sync.StandardError, StringComparison.Ordinal);
        Assert.Single(sync.StandardError.TrimEnd('\n').Split('\n'));
        Assert.Equal(before, host.Root.TrustSnapshot());
        Assert.StartsWith("failed: bundle refused", host.Root.State().LastOutcome, StringComparison.Ordinal);
        Assert.Equal(1, host.Root.State().BundleVersion);
    }

    [RequiresOpenSshFact]
    public void AnOlderVersionReplayedIsRefusedAsARollback()
    {
        using var host = Host("prod");
        var old = _authority.Signed(_authority.Bundle(1));
        _authority.Publish(_server, _authority.Bundle(2));
        host.SyncAndInstall();
        var before = host.Root.TrustSnapshot();
        _server.PublishBundle(old.Document, old.Signature, 1);
        var sync = host.Root.Run("sync");
        Assert.Equal(1, sync.ExitCode);
        Assert.Equal("beacon-host: rollback attempted: server offers version 1, installed 2\n", sync.StandardError);
        Assert.Equal(before, host.Root.TrustSnapshot());
    }

    public static TheoryData<string, string> BadKrls => new()
    {
        { "truncated", "KRL refused: its signature does not verify" },
        { "signed by another key", "KRL refused: its signature does not verify" },
        { "garbage signed by the revocation key", "KRL refused: " },
        { "older version", "KRL rollback attempted: server offers version 1, installed 2" },
    };

    [RequiresOpenSshTheory]
    [MemberData(nameof(BadKrls))]
    public void ABadKrlIsRefusedAndTheFilesStayByteForByte(string how, string message)
    {
        using var host = Host("prod");
        _authority.PublishKrl(_server, 2, 7);
        host.SyncAndInstall();
        var before = host.Root.TrustSnapshot();
        var (krl, signature) = _authority.Krl(3, [7, 8]);
        switch (how)
        {
            case "truncated":
                krl = krl[..^4];
                break;
            case "signed by another key":
                using (var other = Ed25519PrivateKey.Generate())
                {
                    signature = _authority.Krl(3, [7, 8], other).Signature;
                }
                break;
            case "garbage signed by the revocation key":
                krl = "SSHKRL\n\0garbage"u8.ToArray();
                signature = Beacon.Ssh.SshSig.SshSigSigner.Sign(_authority.RevocationKey, krl, "beacon-krl@beaconssh").ToArmored();
                break;
            case "older version":
                (krl, signature) = _authority.Krl(1, []);
                break;
        }
        _server.PublishKrl(krl, signature, 3);
        var sync = host.Root.Run("sync");
        Assert.Equal(1, sync.ExitCode);
        Assert.Contains(message, sync.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, host.Root.TrustSnapshot());
    }

    [RequiresOpenSshFact]
    public void WhenSshdRefusesTheConfigurationTheLastGoodFilesComeBack()
    {
        using var host = Host("prod");
        host.SyncAndInstall();
        var before = host.Root.TrustSnapshot();
        // Someone broke sshd_config since: sshd -t fails, so the new files must not stay.
        File.AppendAllText(host.Sshd.ConfigFile, "NoSuchKeyword yes\n");
        using var next = Ed25519PrivateKey.Generate();
        _authority.Publish(_server, _authority.Bundle(2, next.PublicKey));
        var sync = host.Root.Run("sync");
        Assert.Equal(1, sync.ExitCode);
        Assert.Contains("rolled back to the last good trust: sshd refused the new files", sync.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, host.Root.TrustSnapshot());
        Assert.Equal(1, host.Root.State().BundleVersion);
    }

    [RequiresOpenSshFact]
    public void WhenTheReloadFailsTheLastGoodFilesComeBack()
    {
        using var host = Host("prod");
        host.SyncAndInstall();
        var before = host.Root.TrustSnapshot();
        var config = Beacon.Host.Files.HostConfig.Load(host.Root.Paths);
        (config with { ReloadCommand = "echo cannot reload >&2; exit 3" }).Save(host.Root.Paths);
        _authority.PublishKrl(_server, 2, 99);
        var sync = host.Root.Run("sync");
        Assert.Equal(1, sync.ExitCode);
        Assert.Contains("rolled back to the last good trust: reload command", sync.StandardError, StringComparison.Ordinal);
        Assert.Contains("cannot reload", sync.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, host.Root.TrustSnapshot());
    }

    [RequiresOpenSshFact]
    public async Task WithTheServerDownTheLastGoodTrustIsKeptAndStillWorks()
    {
        using var host = Host("prod");
        host.SyncAndInstall();
        var before = host.Root.TrustSnapshot();
        await _server.DisposeAsync();
        _server = await TrustServerDouble.StartAsync();
        var config = Beacon.Host.Files.HostConfig.Load(host.Root.Paths);
        // The old address, nobody listening now.
        var sync = host.Root.Run("sync");
        Assert.Equal(1, sync.ExitCode);
        Assert.StartsWith("beacon-host: bundle: Server unreachable", sync.StandardError, StringComparison.Ordinal);
        Assert.Contains("keeping the installed trust", sync.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, host.Root.TrustSnapshot());
        Assert.StartsWith("failed:", host.Root.State().LastOutcome, StringComparison.Ordinal);
        using var key = Ed25519PrivateKey.Generate();
        Assert.Equal(0, host.Login(key, _authority.UserCertificate(key.PublicKey, 105, "root@prod")).ExitCode);
        Assert.NotEqual(_server.Url, config.Server);
    }

    [RequiresOpenSshFact]
    public void AServerErrorOrAnOversizedAnswerKeepsTheLastGoodTrust()
    {
        using var host = Host("prod");
        host.SyncAndInstall();
        var before = host.Root.TrustSnapshot();
        _authority.Publish(_server, _authority.Bundle(2));

        _server.FailWith = 503;
        var failed = host.Root.Run("sync");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("(HTTP 503)", failed.StandardError, StringComparison.Ordinal);

        _server.FailWith = null;
        _server.OversizedBundle = 2 * 1024 * 1024;
        var oversized = host.Root.Run("sync");
        Assert.Equal(1, oversized.ExitCode);
        Assert.Contains("too large", oversized.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, host.Root.TrustSnapshot());
    }

    [RequiresOpenSshFact]
    public void AServerWhoseTlsCertificateIsNotThePinnedOneIsRefused()
    {
        using var host = ManagedHost.Start(_server.Url, new string('0', 64), _authority.BundleKey.ExportPublicArmored(), ["prod"]);
        var sync = host.Root.Run("sync");
        Assert.Equal(1, sync.ExitCode);
        Assert.Contains("is the TLS fingerprint right?", sync.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(host.Root.Paths.TrustedUserCaKeysFile));
    }

    [RequiresOpenSshFact]
    public void AnAccountNoGroupOfTheHostListsHasNoPrincipalsFileAndPrincipalsFilesFollowTheMap()
    {
        using var host = Host("prod");
        _authority.HostGroups["prod"] = ["root", "deploy"];
        _authority.Publish(_server, _authority.Bundle(2));
        host.SyncAndInstall();
        Assert.Equal(["deploy", "root"], Directory.GetFiles(host.Root.Paths.PrincipalsDirectory).Select(Path.GetFileName).Order());
        _authority.HostGroups["prod"] = ["root"];
        _authority.Publish(_server, _authority.Bundle(3));
        Assert.Equal(0, host.RunAndAwaitReload("sync").ExitCode);
        Assert.Equal(["root"], Directory.GetFiles(host.Root.Paths.PrincipalsDirectory).Select(Path.GetFileName));
    }

    [RequiresOpenSshFact]
    public void ASecondSyncWhileOneRunsIsRefused()
    {
        using var host = Host("prod");
        Directory.CreateDirectory(host.Root.Paths.StateDirectory);
        using (new FileStream(host.Root.Paths.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var sync = host.Root.Run("sync");
            Assert.Equal(1, sync.ExitCode);
            Assert.Contains("another beacon-host is running", sync.StandardError, StringComparison.Ordinal);
        }
        Assert.Equal(0, host.RunAndAwaitReload("sync").ExitCode);
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
