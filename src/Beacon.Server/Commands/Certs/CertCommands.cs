using Beacon.Server.Cli;
using System.CommandLine;
using System.Globalization;
using Beacon.Server.Storage;

namespace Beacon.Server.Commands.Certs;

/// <summary>`beacon-server cert list|revoke`.</summary>
public static class CertCommands
{
    public static Command Create()
    {
        var command = new Command("cert", "List or revoke issued certificates");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command List()
    {
        var dataDir = CommandRunner.DataDirOption();
        var user = new Option<string?>("--user") { Description = "Only this user's certificates" };
        var live = new Option<bool>("--live") { Description = "Only unexpired, unrevoked certificates" };
        var limit = new Option<int>("--limit") { Description = "How many (newest first)", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List issued certificates, newest first") { dataDir, user, live, limit };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            using var context = await LocalServerContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            var page = await context.Store.ListCertificatesAsync(new CertificateQuery(
                Username: parse.GetValue(user), LiveOnly: parse.GetValue(live) ? true : null, Now: context.NowMs / 1000,
                Limit: parse.GetValue(limit)), cancellationToken);
            await output.WriteLineAsync("SERIAL                TYPE  USER             VALID BEFORE (UTC)    STATE    PRINCIPALS");
            foreach (var c in page.Items)
            {
                var state = c.RevokedAt is not null ? "revoked" : c.ValidBefore <= context.NowMs / 1000 ? "expired" : "live";
                var before = DateTimeOffset.FromUnixTimeSeconds(c.ValidBefore).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                await output.WriteLineAsync($"{c.Serial,-21} {c.CertType,-5} {c.Username,-16} {before,-21} {state,-8} {string.Join(',', Api.CertificateEndpoints.ParsePrincipals(c.Principals))}");
            }
            await output.WriteLineAsync($"{page.Items.Count} of {page.Total}");
            return 0;
        });
        return command;
    }

    private static Command Revoke()
    {
        var dataDir = CommandRunner.DataDirOption();
        var serial = new Option<string?>("--serial") { Description = "The serial as ssh-keygen -L prints it" };
        var user = new Option<string?>("--user") { Description = "Revoke every live certificate of this user" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit log)" };
        var command = new Command("revoke", "Revoke a certificate by serial, or all live certificates of a user") { dataDir, serial, user, reason };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            var serialValue = parse.GetValue(serial);
            var userValue = parse.GetValue(user);
            if ((serialValue is null) == (userValue is null))
            {
                throw new CommandException("give exactly one of --serial or --user");
            }
            if (serialValue is not null && !ulong.TryParse(serialValue, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new CommandException($"--serial \"{serialValue}\" is not a decimal serial");
            }
            using var context = await LocalServerContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            var revoked = await context.Store.RevokeCertificatesAsync(serialValue, userValue, LocalServerContext.Actor, context.NowMs,
                context.Audit("certificate.revoke", userValue ?? serialValue, new() { ["reason"] = parse.GetValue(reason) }), cancellationToken);
            if (revoked.Count == 0)
            {
                throw new CommandException("no live certificate matches");
            }
            foreach (var c in revoked)
            {
                await output.WriteLineAsync($"revoked {c.Serial} ({c.Username})");
            }
            return 0;
        });
        return command;
    }
}
