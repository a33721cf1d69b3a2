using Beacon.Server.Cli;
using System.CommandLine;
using Beacon.Server.Audit;

namespace Beacon.Server.Commands.Audit;

/// <summary>`beacon-server audit verify`: walks the hash chain and names the first broken link.</summary>
public static class AuditVerifyCommand
{
    public static Command Create()
    {
        var dataDir = CommandRunner.DataDirOption();
        var command = new Command("verify", "Check the audit log's hash chain (exit 0 intact, 1 broken)") { dataDir };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            using var context = await LocalServerContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            var result = await AuditVerifier.VerifyAsync(context.Store.ReadAuditAsync(1, cancellationToken), cancellationToken);
            if (!result.Ok)
            {
                throw new CommandException($"audit chain broken at event {result.BrokenAtSeq}: {result.Reason} ({result.Checked} events before it are intact)");
            }
            await output.WriteLineAsync($"audit chain intact: {result.Checked} events");
            return 0;
        });
        return command;
    }
}
