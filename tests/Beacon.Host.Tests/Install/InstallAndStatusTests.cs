using System.Text.Json;
using Beacon.Host.Commands.Install;
using Beacon.Host.Files;
using Beacon.Host.Tests.Support;
using Beacon.Testing;

namespace Beacon.Host.Tests.Install;

/// <summary>install (the drop-in, units or cron, checked by the real sshd) and status.</summary>
public sealed class InstallAndStatusTests : IAsyncLifetime
{
    private TrustServerDouble _server = null!;
    private readonly TestTrustAuthority _authority = new();

    public async Task InitializeAsync()
    {
        _server = await TrustServerDouble.StartAsync();
        _authority.Publish(_server, _authority.Bundle(3));
        _authority.PublishKrl(_server, 5);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _authority.Dispose();
    }

    private ManagedHost Host() => ManagedHost.Start(_server.Url, _server.Fingerprint, _authority.BundleKey.ExportPublicArmored(), ["prod"]);

    [RequiresOpenSshFact]
    public void InstallBeforeTheFirstSyncIsRefusedSoSshdNeverLosesItsRevokedKeysFile()
    {
        using var host = Host();
        var install = host.Root.Run("install");
        Assert.Equal(1, install.ExitCode);
        Assert.Contains("run beacon-host sync first", install.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(host.Root.Paths.DropInFile));
    }

    [RequiresOpenSshFact]
    public void InstallWritesTheDropInAndUnitsWithMappedPathsAndIsIdempotent()
    {
        using var host = Host();
        host.SyncAndInstall();
        var paths = host.Root.Paths;
        var dropIn = File.ReadAllText(paths.DropInFile);
        Assert.Contains($"TrustedUserCAKeys {paths.TrustedUserCaKeysFile}\n", dropIn, StringComparison.Ordinal);
        Assert.Contains($"RevokedKeys {paths.RevokedKeysFile}\n", dropIn, StringComparison.Ordinal);
        Assert.Contains($"AuthorizedPrincipalsFile {paths.PrincipalsDirectory}/%u\n", dropIn, StringComparison.Ordinal);
        var sync = File.ReadAllText(Path.Combine(paths.SystemdDirectory, InstallFiles.SyncService));
        Assert.Contains($"ExecStart=/usr/local/bin/beacon-host sync --root {paths.Root}\n", sync, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(paths.SystemdDirectory, InstallFiles.RenewTimer)));

        var again = host.Root.Run("install");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain("wrote ", again.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("nothing to reload", again.StandardOutput, StringComparison.Ordinal);
    }

    [RequiresOpenSshFact]
    public void InstallWithCronWritesTheCronFile()
    {
        using var host = Host();
        Assert.Equal(0, host.RunAndAwaitReload("sync").ExitCode);
        var install = host.RunAndAwaitReload("install", "--cron", "--bin", "/opt/beacon/beacon-host");
        Assert.True(install.ExitCode == 0, install.ToString());
        var cron = File.ReadAllText(host.Root.Paths.CronFile);
        Assert.Contains($"*/5 * * * * root /opt/beacon/beacon-host sync --root {host.Root.Paths.Root}\n", cron, StringComparison.Ordinal);
        Assert.False(Directory.Exists(host.Root.Paths.SystemdDirectory));
    }

    [RequiresOpenSshFact]
    public void InstallSaysSoWhenSshdConfigDoesNotIncludeTheDropInFirst()
    {
        using var host = Host();
        Assert.Equal(0, host.RunAndAwaitReload("sync").ExitCode);
        var config = File.ReadAllLines(host.Sshd.ConfigFile).Where(l => !l.StartsWith("Include ", StringComparison.Ordinal));
        File.WriteAllLines(host.Sshd.ConfigFile, config);
        var install = host.Root.Run("install");
        Assert.Equal(1, install.ExitCode);
        Assert.Contains("put 'Include ", install.StandardError, StringComparison.Ordinal);
    }

    [RequiresOpenSshFact]
    public void StatusReportsThePinsTheInstalledVersionsAndTheLastSync()
    {
        using var host = Host();
        host.SyncAndInstall();
        var status = host.Root.Run("status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using var json = JsonDocument.Parse(status.StandardOutput);
        var root = json.RootElement;
        Assert.Equal(_server.Fingerprint, root.GetProperty("tls_fingerprint").GetString());
        Assert.Equal(_authority.BundleKey.PublicKey.Fingerprint, root.GetProperty("bundle_key_fingerprint").GetString());
        Assert.Equal(3, root.GetProperty("bundle_version").GetInt64());
        Assert.Equal(5UL, root.GetProperty("krl_version").GetUInt64());
        Assert.Equal("installed", root.GetProperty("last_outcome").GetString());
        Assert.Equal(["prod"], root.GetProperty("groups").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("drop_in_installed").GetBoolean());

        var text = host.Root.Run("status");
        Assert.Contains("bundle version:   3", text.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void TheUnitsInDeployAreWhatInstallWritesForTheRealRoot()
    {
        var deploy = Path.Combine(RepositoryRoot(), "deploy");
        var paths = new HostPaths("/");
        Assert.Equal(InstallFiles.SyncServiceUnit(InstallFiles.DefaultBinary, paths), File.ReadAllText(Path.Combine(deploy, InstallFiles.SyncService)));
        Assert.Equal(InstallFiles.SyncTimerUnit(), File.ReadAllText(Path.Combine(deploy, InstallFiles.SyncTimer)));
        Assert.Equal(InstallFiles.RenewServiceUnit(InstallFiles.DefaultBinary, paths), File.ReadAllText(Path.Combine(deploy, InstallFiles.RenewService)));
        Assert.Equal(InstallFiles.RenewTimerUnit(), File.ReadAllText(Path.Combine(deploy, InstallFiles.RenewTimer)));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BeaconSsh.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("the repository root (BeaconSsh.slnx) is not above the test binaries");
    }
}
