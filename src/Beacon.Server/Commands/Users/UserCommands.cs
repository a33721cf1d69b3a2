using Beacon.Server.Cli;
using System.CommandLine;

namespace Beacon.Server.Commands.Users;

/// <summary>`beacon-server user disable|enable`: a disabled user is refused on the very next request.</summary>
public static class UserCommands
{
    public static Command Create()
    {
        var command = new Command("user", "Disable or enable a user");
        command.Subcommands.Add(Toggle("disable", disabled: true, "Refuse every further certificate request of the user"));
        command.Subcommands.Add(Toggle("enable", disabled: false, "Allow the user again"));
        return command;
    }

    private static Command Toggle(string name, bool disabled, string description)
    {
        var dataDir = CommandRunner.DataDirOption();
        var username = new Argument<string>("username") { Description = "The username as the identity provider names it" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit log)" };
        var command = new Command(name, description) { dataDir, username, reason };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            using var context = await LocalServerContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            var user = parse.GetValue(username)!;
            var changed = await context.Store.SetUserDisabledAsync(user, disabled, parse.GetValue(reason),
                context.Audit(disabled ? "user.disable" : "user.enable", user, new() { ["reason"] = parse.GetValue(reason) }), cancellationToken);
            if (changed == 0)
            {
                throw new CommandException($"no user named \"{user}\" has been seen");
            }
            await output.WriteLineAsync($"{user}: {(disabled ? "disabled" : "enabled")}");
            return 0;
        });
        return command;
    }
}
