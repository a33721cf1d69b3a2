using System.CommandLine;
using System.Globalization;
using Beacon.Server.Ca;
using Beacon.Server.CaLifecycle;
using Beacon.Server.Cli;

namespace Beacon.Server.Commands.Ca.Lifecycle;

/// <summary>
/// `beacon-server ca list|rotate|activate|retire --data-dir D`: the server's CA keys, shared by every
/// replica through the database. A running server picks a change up within seconds.
/// </summary>
internal static class CaLifecycleCommands
{
    public static IEnumerable<Command> Create() => [List(), Rotate(), Activate(), Retire()];

    private static Option<string> Kind(bool required) => new("--kind")
    {
        Description = required ? "Which CA: user or host" : "Only this CA: user or host",
        Required = required,
        HelpName = "user|host",
        CustomParser = CommandRunner.Parser(text => { CaKindText.Parse(text); return text; }),
    };

    private static Command List()
    {
        var dataDir = CommandRunner.DataDirOption();
        var kind = Kind(required: false);
        var command = new Command("list", "List the server's CA keys with their state (next, active, previous, retired) and times") { dataDir, kind };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            using var trust = await LocalTrustContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            var only = parse.GetValue(kind);
            await output.WriteLineAsync("ID  KIND  STATE     FINGERPRINT                                         TYPE         CREATED               ACTIVATED             RETIRED");
            foreach (var key in (await trust.Store.ListCaKeysAsync(cancellationToken)).Where(k => only is null || k.Kind == only))
            {
                var type = key.PublicKey.Split(' ')[0];
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{key.Id,-3} {key.Kind,-5} {key.State,-9} {key.Fingerprint,-51} {type,-12} {Time(key.CreatedAt),-21} {Time(key.ActivatedAt),-21} {Time(key.RetiredAt)}"));
            }
            return 0;
        });
        return command;
    }

    private static Command Rotate()
    {
        var dataDir = CommandRunner.DataDirOption();
        var kind = Kind(required: true);
        var type = new Option<string?>("--type") { Description = "The new key's type: ed25519, ecdsa or rsa (default: the active key's type and size)", HelpName = "ed25519|ecdsa|rsa" };
        var bits = new Option<int?>("--bits") { Description = "The new key's size: 256 or 384 for ecdsa, 3072 to 8192 for rsa", HelpName = "N" };
        var command = new Command("rotate", "Generate the next CA key of a kind, encrypted with the CA password: trusted from the next bundle on, " +
            "not signing until activated. Refused while the kind has a next key already.") { dataDir, kind, type, bits };
        command.Validators.Add(result =>
        {
            if (result.GetValue(type) is not null || result.GetValue(bits) is not null)
            {
                try
                {
                    CaKeySpec.Parse(result.GetValue(type) ?? "ed25519", result.GetValue(bits));
                }
                catch (FormatException e)
                {
                    result.AddError(e.Message);
                }
            }
        });
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            using var trust = await LocalTrustContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            var caKind = CaKindText.Parse(parse.GetValue(kind)!);
            await trust.CheckPasswordAsync(caKind, cancellationToken);
            var spec = parse.GetValue(type) is null && parse.GetValue(bits) is null ? null : CaKeySpec.Parse(parse.GetValue(type) ?? "ed25519", parse.GetValue(bits));
            return await ReportAsync(await trust.Lifecycle.RotateAsync(caKind, spec, LocalServerContext.Actor, cancellationToken), output, parse);
        });
        return command;
    }

    private static Command Activate()
    {
        var dataDir = CommandRunner.DataDirOption();
        var kind = Kind(required: true);
        var command = new Command("activate", "Make the next CA key active (it signs from now on) and the active one previous (still trusted until retired). " +
            "Refused without a next key, or while a previous key is not retired.") { dataDir, kind };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            using var trust = await LocalTrustContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            return await ReportAsync(await trust.Lifecycle.ActivateAsync(CaKindText.Parse(parse.GetValue(kind)!), LocalServerContext.Actor, cancellationToken), output, parse);
        });
        return command;
    }

    private static Command Retire()
    {
        var dataDir = CommandRunner.DataDirOption();
        var kind = Kind(required: true);
        var force = new Option<bool>("--force") { Description = "Retire now, although certificates it signed may still be valid (a compromised key); audited as forced" };
        var command = new Command("retire", "Retire the previous CA key: the next bundle drops it and hosts stop trusting it. Refused (saying from when it is allowed) " +
            "until the longest certificate lifetime has passed since its successor's activation and while a certificate it signed is still valid.") { dataDir, kind, force };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            using var trust = await LocalTrustContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            return await ReportAsync(await trust.Lifecycle.RetireAsync(CaKindText.Parse(parse.GetValue(kind)!), parse.GetValue(force), LocalServerContext.Actor, cancellationToken),
                output, parse);
        });
        return command;
    }

    private static async Task<int> ReportAsync(CaStepOutcome outcome, TextWriter output, ParseResult parse)
    {
        if (!outcome.Done)
        {
            throw new CommandException(outcome.Message);
        }
        await output.WriteLineAsync(outcome.Message);
        if (outcome.Bundle is { } bundle)
        {
            await output.WriteLineAsync(bundle.IsPublished
                ? $"trust bundle version {bundle.Version} published"
                : $"trust bundle version {bundle.Version} staged as a draft: sign it (beacon-server bundle draft, gpg --detach-sign, beacon-server bundle publish)");
        }
        if (outcome.BundleError is { } error)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"{BeaconServerCli.Name}: the step is done but the trust bundle was not published: {error}");
            return 1;
        }
        return 0;
    }

    private static string Time(long? ms) => ms is { } value
        ? DateTimeOffset.FromUnixTimeMilliseconds(value).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : "-";
}
