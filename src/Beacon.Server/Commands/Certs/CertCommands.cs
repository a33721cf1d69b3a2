using Beacon.Server.Cli;
using System.CommandLine;
using System.Globalization;
using Beacon.Server.Ca;
using Beacon.Server.Revocation;
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
        var publicKey = new Option<string?>("--public-key") { Description = "A .pub file: revoke the key itself (listed in the KRL) and its live certificates" };
        var user = new Option<string?>("--user") { Description = "Revoke every live certificate of this user" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit log)" };
        var command = new Command("revoke", "Revoke a certificate by serial, a public key, or all live certificates of a user; the KRL follows")
        {
            dataDir, serial, publicKey, user, reason,
        };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            var keyFile = parse.GetValue(publicKey);
            if (new[] { parse.GetValue(serial), keyFile, parse.GetValue(user) }.Count(v => v is not null) != 1)
            {
                throw new CommandException("give exactly one of --serial, --public-key or --user");
            }
            var keyLine = keyFile is null ? null : PublicKeyFile.Read(keyFile).Key.ToOpenSshString();
            var (request, error) = RevocationRequest.Create(parse.GetValue(serial), keyLine, parse.GetValue(user));
            if (request is null)
            {
                throw new CommandException(error!);
            }
            using var context = await LocalServerContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            var result = await new Revoker(context.Store, TimeProvider.System).RevokeAsync(request, LocalServerContext.Actor, parse.GetValue(reason), cancellationToken);
            if (!result.ChangedAnything)
            {
                throw new CommandException(request.PublicKey is not null ? "the key is revoked already and has no live certificate" : "no live certificate matches");
            }
            if (result.RevokedKeyFingerprint is { } fingerprint)
            {
                await output.WriteLineAsync($"revoked key {fingerprint}");
            }
            foreach (var c in result.Certificates)
            {
                await output.WriteLineAsync($"revoked {c.Serial} ({c.Username})");
            }
            await output.WriteLineAsync($"KRL version {await context.Store.KrlVersionAsync(cancellationToken)}");
            return 0;
        });
        return command;
    }
}
