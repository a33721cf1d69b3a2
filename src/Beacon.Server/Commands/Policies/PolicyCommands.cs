using Beacon.Server.Cli;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Beacon.Server.Commands.Policies;

/// <summary>`beacon-server policy list|show`: the stored policy versions.</summary>
public static class PolicyCommands
{
    public static Command Create()
    {
        var command = new Command("policy", "Show the stored policy and its versions");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        return command;
    }

    private static Command List()
    {
        var dataDir = CommandRunner.DataDirOption();
        var command = new Command("list", "List policy versions, newest first") { dataDir };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            using var context = await LocalServerContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            foreach (var version in await context.Store.PolicyHistoryAsync(cancellationToken))
            {
                var when = DateTimeOffset.FromUnixTimeMilliseconds(version.CreatedAt).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                await output.WriteLineAsync($"{version.Version,5}  {when}  {version.CreatedBy}");
            }
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var dataDir = CommandRunner.DataDirOption();
        var version = new Option<long?>("--version") { Description = "The version to show (default: the latest)" };
        var command = new Command("show", "Print a policy version as JSON") { dataDir, version };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            using var context = await LocalServerContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            var wanted = parse.GetValue(version);
            var history = await context.Store.PolicyHistoryAsync(cancellationToken);
            var found = wanted is null ? history.FirstOrDefault() : history.FirstOrDefault(v => v.Version == wanted);
            if (found is null)
            {
                throw new CommandException(wanted is null ? "no policy is stored yet" : $"no policy version {wanted}");
            }
            using var document = JsonDocument.Parse(found.Document);
            await output.WriteLineAsync(JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
        return command;
    }
}
