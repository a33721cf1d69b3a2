using System.CommandLine;
using System.Globalization;
using System.Text;
using Beacon.Server.Cli;
using Beacon.Server.Trust;

namespace Beacon.Server.Commands.Bundle;

/// <summary>
/// `beacon-server bundle status|draft|publish --data-dir D`: the trust bundle on a data directory. status
/// and draft first make a new version if the trust material changed; publish uploads an offline signature.
/// </summary>
public static class BundleCommands
{
    public static Command Create()
    {
        var command = new Command("bundle", "The signed trust bundle hosts install (docs/trust-protocol.md): status, the offline draft, publishing a signature");
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Draft());
        command.Subcommands.Add(Publish());
        return command;
    }

    private static Command Status()
    {
        var dataDir = CommandRunner.DataDirOption();
        var command = new Command("status", "Show the signing mode, the latest published version and any draft waiting for a signature " +
            "(a new version is made first if the trust material changed)") { dataDir };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            using var trust = await LocalTrustContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            await RefreshAsync(trust, cancellationToken);
            var options = trust.Server.Options.Trust;
            await output.WriteLineAsync(options.IsOffline
                ? $"signing: offline, by the operator key in {options.OperatorKeyFile}"
                : $"signing: server, by the key in {BundleSigningKeyFiles.PublicKeyPath(trust.Server.Data)}");
            var published = await trust.Store.LatestPublishedTrustBundleVersionAsync(cancellationToken);
            if (published == 0)
            {
                await output.WriteLineAsync("published: none yet");
            }
            else if (await trust.Store.TrustBundleAsync(published, cancellationToken) is { } record)
            {
                await output.WriteLineAsync($"published: version {record.Version} at {Time(record.PublishedAt)} by {record.PublishedBy}");
            }
            var draft = await trust.Signatures.DraftAsync(cancellationToken);
            await output.WriteLineAsync(draft is null ? "draft: none" : $"draft: version {draft.Version} made at {Time(draft.CreatedAt)}, waiting for the operator's signature");
            return 0;
        });
        return command;
    }

    private static Command Draft()
    {
        var dataDir = CommandRunner.DataDirOption();
        var outFile = new Option<string?>("--out") { Description = "Write the draft's exact bytes to this file (default: stdout)", HelpName = "FILE" };
        var command = new Command("draft", "Print the draft waiting for the operator's signature (offline signing), " +
            "to sign with: gpg --local-user KEY --armor --detach-sign --output FILE.asc FILE") { dataDir, outFile };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            using var trust = await LocalTrustContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            await RefreshAsync(trust, cancellationToken);
            if (await trust.Signatures.DraftAsync(cancellationToken) is not { } draft)
            {
                throw new CommandException(trust.Server.Options.Trust.IsOffline
                    ? "there is no draft: the latest bundle version is published"
                    : "there is no draft: the server signs every version itself (Beacon:Trust:Signing is server)");
            }
            if (parse.GetValue(outFile) is { } path)
            {
                try
                {
                    await File.WriteAllBytesAsync(path, draft.Document, cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CommandException($"{path}: {e.Message}");
                }
                await output.WriteLineAsync($"wrote draft version {draft.Version} to {path}; sign it with: gpg --local-user KEY --armor --detach-sign --output {path}.asc {path}");
            }
            else
            {
                await output.WriteAsync(Encoding.UTF8.GetString(draft.Document));
            }
            return 0;
        });
        return command;
    }

    private static Command Publish()
    {
        var dataDir = CommandRunner.DataDirOption();
        var signature = new Option<string>("--signature") { Description = "The operator's armored detached signature over the draft's bytes", Required = true, HelpName = "FILE" };
        var version = new Option<long?>("--version") { Description = "The draft's version (default: the current draft)", HelpName = "N" };
        var command = new Command("publish", "Publish the draft with the operator's signature, if it verifies with Beacon:Trust:OperatorKeyFile; " +
            "otherwise nothing is published and the reason is printed") { dataDir, signature, version };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            var path = parse.GetValue(signature)!;
            string text;
            try
            {
                var info = new FileInfo(path);
                if (info.Exists && info.Length > BundleSignatures.MaxSignatureLength)
                {
                    throw new CommandException($"{path}: larger than {BundleSignatures.MaxSignatureLength} bytes, so not a signature");
                }
                text = await File.ReadAllTextAsync(path, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CommandException($"{path}: {(e is FileNotFoundException ? "no such file" : e.Message)}");
            }
            using var trust = await LocalTrustContext.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            var number = parse.GetValue(version) ?? (await trust.Signatures.DraftAsync(cancellationToken))?.Version
                ?? throw new CommandException("there is no draft to publish: the latest bundle version is published");
            var outcome = await trust.Signatures.PublishAsync(number, text, LocalServerContext.Actor, cancellationToken);
            if (outcome.Published is null)
            {
                throw new CommandException(outcome.Message);
            }
            await output.WriteLineAsync(outcome.Message);
            return 0;
        });
        return command;
    }

    private static async Task RefreshAsync(LocalTrustContext trust, CancellationToken cancellationToken)
    {
        try
        {
            await trust.Publisher.PublishIfChangedAsync(LocalServerContext.Actor, "command", cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new CommandException(e.Message);
        }
    }

    private static string Time(long? ms) => ms is { } value
        ? DateTimeOffset.FromUnixTimeMilliseconds(value).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : "-";
}
