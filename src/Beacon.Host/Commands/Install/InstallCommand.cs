using System.CommandLine;
using Beacon.CommandLine;
using Beacon.Host.Files;
using Beacon.Host.Sshd;
using Beacon.Host.Trust;

namespace Beacon.Host.Commands.Install;

/// <summary>
/// beacon-host install: the sshd_config drop-in (TrustedUserCAKeys, RevokedKeys, AuthorizedPrincipalsFile,
/// HostCertificate), systemd units for sync and renew (or a cron file), then sshd -t, a check with sshd -T
/// that sshd really uses the drop-in, and a reload. Idempotent.
/// </summary>
internal static class InstallCommand
{
    public static Command Create(HostConsole console)
    {
        var root = HostOptions.Root();
        var binary = new Option<string>("--bin")
        {
            Description = "The beacon-host executable the units and cron lines run",
            DefaultValueFactory = _ => InstallFiles.DefaultBinary,
        };
        var cron = new Option<bool>("--cron") { Description = "Write etc/cron.d/beacon-host instead of the systemd service and timer units" };
        var command = new Command("install",
            "Write the sshd_config drop-in etc/ssh/sshd_config.d/50-beacon.conf and the systemd units (or a cron file) for sync and renew, check sshd uses them, reload sshd; run after the first sync")
        {
            root, binary, cron,
        };
        command.SetHostAction((parse, _) =>
        {
            var paths = HostOptions.Paths(parse, root);
            var config = HostConfig.Load(paths);
            var bin = parse.GetValue(binary)!;
            // %u in AuthorizedPrincipalsFile is expanded by sshd; a root holding % would be expanded too.
            if (paths.Root.Contains('%', StringComparison.Ordinal) || paths.Root.Any(char.IsControl))
            {
                throw new HostException($"--root {paths.Root}: sshd_config cannot name paths holding % or control characters");
            }
            // The drop-in makes sshd refuse every key if RevokedKeys is missing: install only over a synced host.
            if (!new TrustFileStore(paths.TrustDirectory).IsComplete)
            {
                throw new HostException($"{paths.TrustDirectory} has no trust files yet: run beacon-host sync first");
            }
            var certificates = HostKeyFiles.Discover(paths).Select(k => k.CertificateFile).Where(File.Exists).ToList();
            var previousDropIn = AtomicFile.ReadBounded(paths.DropInFile);
            var dropInChanged = Write(console, paths.DropInFile, InstallFiles.DropIn(paths, certificates));
            if (parse.GetValue(cron))
            {
                Write(console, paths.CronFile, InstallFiles.Cron(bin, paths));
            }
            else
            {
                Write(console, Path.Combine(paths.SystemdDirectory, InstallFiles.SyncService), InstallFiles.SyncServiceUnit(bin, paths));
                Write(console, Path.Combine(paths.SystemdDirectory, InstallFiles.SyncTimer), InstallFiles.SyncTimerUnit());
                Write(console, Path.Combine(paths.SystemdDirectory, InstallFiles.RenewService), InstallFiles.RenewServiceUnit(bin, paths));
                Write(console, Path.Combine(paths.SystemdDirectory, InstallFiles.RenewTimer), InstallFiles.RenewTimerUnit());
                console.Out.WriteLine($"enable with: systemctl daemon-reload && systemctl enable --now {InstallFiles.SyncTimer} {InstallFiles.RenewTimer}");
                console.Out.WriteLine($"or, without systemd, these cron lines (beacon-host install --cron writes them to {paths.CronFile}):");
                console.Out.Write(InstallFiles.Cron(bin, paths));
            }

            var sshd = new SshdControl(config);
            if (sshd.Validate() is { } invalid)
            {
                if (previousDropIn is null)
                {
                    AtomicFile.Delete(paths.DropInFile);
                }
                else
                {
                    AtomicFile.Write(paths.DropInFile, previousDropIn, FileModes.Public);
                }
                throw new HostException($"sshd refused the configuration with the drop-in, which is put back as it was: {invalid}");
            }
            CheckEffective(sshd, paths, config);
            if (dropInChanged && sshd.Reload() is { } notReloaded)
            {
                throw new HostException(notReloaded);
            }
            console.Out.WriteLine(dropInChanged ? "sshd checked and reloaded" : "sshd checked; nothing to reload");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>sshd keeps the first value of a keyword: if sshd_config sets one before including the drop-in, ours is ignored. Say so.</summary>
    private static void CheckEffective(SshdControl sshd, HostPaths paths, HostConfig config)
    {
        var (settings, error) = sshd.Effective();
        if (settings is null)
        {
            throw new HostException($"cannot read sshd's effective configuration: {error}");
        }
        var wanted = new Dictionary<string, string>
        {
            ["trustedusercakeys"] = paths.TrustedUserCaKeysFile,
            ["revokedkeys"] = paths.RevokedKeysFile,
            ["authorizedprincipalsfile"] = Path.Combine(paths.PrincipalsDirectory, "%u"),
        };
        foreach (var (keyword, value) in wanted)
        {
            var actual = settings.TryGetValue(keyword, out var values) ? string.Join(' ', values) : "none";
            if (actual != value)
            {
                throw new HostException($"sshd uses {keyword} {actual}, not {value}: put 'Include {Path.GetDirectoryName(paths.DropInFile)}/*.conf' at the top of {config.SshdConfig}");
            }
        }
    }

    private static bool Write(HostConsole console, string path, string text)
    {
        var changed = AtomicFile.WriteIfChanged(path, System.Text.Encoding.UTF8.GetBytes(text), FileModes.Public);
        console.Out.WriteLine($"{(changed ? "wrote" : "unchanged")} {path}");
        return changed;
    }
}
