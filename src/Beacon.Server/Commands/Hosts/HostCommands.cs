using System.CommandLine;
using System.Globalization;
using Beacon.Server.Cli;
using Beacon.Server.Hosts;
using Beacon.Server.Identity;
using Beacon.Server.Policy;
using Beacon.Server.Signing;

namespace Beacon.Server.Commands.Hosts;

/// <summary>`beacon-server host-token create` and `beacon-server host list`.</summary>
public static class HostCommands
{
    public static Command TokenCommand() => new("host-token", "One-time host enrollment tokens for beacon-host enroll") { CreateToken() };

    public static Command HostCommand() => new("host", "Enrolled hosts") { List() };

    private static Command CreateToken()
    {
        var dataDir = CommandRunner.DataDirOption();
        var groups = new Option<string>("--groups") { Description = "Comma-separated host groups the host joins (each needs a Hosts rule in the policy)", Required = true };
        var ttl = new Option<string>("--ttl")
        {
            Description = $"How long the token stays usable (e.g. 1h, at most {DurationText.Format(HostEnrollmentToken.MaxLifetime)})",
            DefaultValueFactory = _ => "1h",
        };
        var command = new Command("create", "Mint a one-time host enrollment token (printed on stdout; stored only as an HMAC; used up by the first attempt)")
        {
            dataDir, groups, ttl,
        };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            var list = parse.GetValue(groups)!.Split(',', StringSplitOptions.TrimEntries);
            if (!DurationText.TryParse(parse.GetValue(ttl), HostEnrollmentToken.MaxLifetime, out var lifetime))
            {
                throw new CommandException($"--ttl \"{parse.GetValue(ttl)}\" is not a duration up to {DurationText.Format(HostEnrollmentToken.MaxLifetime)} (like 1h)");
            }
            using var context = await LocalServerContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            byte[] hmacKey;
            try
            {
                hmacKey = await File.ReadAllBytesAsync(context.Data.TokenHmacKey, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CommandException($"cannot read the token HMAC key {context.Data.TokenHmacKey}: {e.Message}");
            }
            var policy = await new PolicySource(context.Store, TimeProvider.System).CurrentAsync(cancellationToken);
            // The configured policy is what the server will seed at its next start; a rule there counts too.
            var document = new PolicyDocument { Hosts = [.. policy.Document.Hosts ?? [], .. context.Options.Policy.Hosts ?? []] };
            try
            {
                var (token, _) = await HostEnrollmentToken.MintAsync(context.Store, new TokenDigest(hmacKey), document, list, lifetime,
                    LocalServerContext.Actor, TimeProvider.System.GetUtcNow(), cancellationToken);
                await output.WriteLineAsync(token);
            }
            catch (ArgumentException e)
            {
                throw new CommandException($"--{e.Message}");
            }
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var dataDir = CommandRunner.DataDirOption();
        var limit = new Option<int>("--limit") { Description = "How many (newest enrollment first)", DefaultValueFactory = _ => 50 };
        var offset = new Option<int>("--offset") { Description = "How many to skip", DefaultValueFactory = _ => 0 };
        var command = new Command("list", "List enrolled hosts, newest first") { dataDir, limit, offset };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            using var context = await LocalServerContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            var page = await context.Store.ListHostsAsync(parse.GetValue(limit), parse.GetValue(offset), cancellationToken);
            await output.WriteLineAsync("HOST ID           ENROLLED (UTC)       VALID BEFORE (UTC)   GROUPS           NAMES");
            foreach (var host in page.Items.Select(Api.HostAdminEndpoints.Summary))
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{host.HostId,-17} {host.EnrolledAt:yyyy-MM-dd HH:mm:ss}  {host.ValidBefore:yyyy-MM-dd HH:mm:ss}  {string.Join(',', host.Groups),-16} {string.Join(',', host.Names)}"));
            }
            await output.WriteLineAsync($"{page.Items.Count} of {page.Total}");
            return 0;
        });
        return command;
    }
}
