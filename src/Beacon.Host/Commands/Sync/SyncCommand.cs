using System.CommandLine;
using Beacon.CommandLine;
using Beacon.Host.Files;
using Beacon.Host.Sshd;
using Beacon.Host.Trust;

namespace Beacon.Host.Commands.Sync;

/// <summary>beacon-host sync: one run of DESIGN flow 4 (see <see cref="TrustSync"/>), recorded in state.json.</summary>
internal static class SyncCommand
{
    public static Command Create(HostConsole console)
    {
        var root = HostOptions.Root();
        var verbose = HostOptions.Verbose();
        var command = new Command("sync",
            "Fetch the signed trust bundle and KRL (conditional GETs), verify them, write TrustedUserCAKeys, RevokedKeys and principals files, check with sshd -t and reload sshd; "
            + "anything refused or failing keeps the last good trust and exits 1")
        {
            root, verbose,
        };
        command.SetHostAction(async (parse, cancellationToken) =>
        {
            var paths = HostOptions.Paths(parse, root);
            var progress = HostOptions.Progress(console, parse.GetValue(verbose));
            var config = HostConfig.Load(paths);
            using var held = SyncLock.Acquire(paths);
            var state = HostState.Load(paths);
            var now = console.Clock.GetUtcNow();
            using var client = HostClient.Create(config);
            try
            {
                var (result, next) = await new TrustSync(paths, config, client, new SshdControl(config), progress).RunAsync(state, cancellationToken);
                (next with { LastSync = now, LastOutcome = result.Outcome, LastSuccess = now }).Save(paths);
                progress($"{result.Outcome}: bundle version {result.BundleVersion}, KRL version {result.KrlVersion}");
                return ExitCodes.Ok;
            }
            catch (HostException e)
            {
                (state with { LastSync = now, LastOutcome = $"failed: {CommandLineRunner.OneLine(e.Message)}" }).Save(paths);
                throw;
            }
        });
        return command;
    }
}
