using Beacon.Server.Cli;
using System.CommandLine;
using System.Text.Json;
using Beacon.Server.Identity;
using Beacon.Server.Signing;
using Beacon.Server.Storage;

namespace Beacon.Server.Commands.Token;

/// <summary>`beacon-server token create`: a single-use, short-lived token for the "token" provider.</summary>
public static class TokenCreateCommand
{
    public static Command Create()
    {
        var dataDir = CommandRunner.DataDirOption();
        var user = new Option<string>("--user") { Description = "The username the certificate is issued to", Required = true };
        var principals = new Option<string>("--principals") { Description = "Comma-separated principals the token may request", Required = true };
        var ttl = new Option<string>("--ttl") { Description = "How long the token stays usable (e.g. 5m)", DefaultValueFactory = _ => "5m" };
        var command = new Command("create", "Mint a one-time token (printed on stdout; stored only as a hash)") { dataDir, user, principals, ttl };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            var username = parse.GetValue(user)!.Trim();
            var list = parse.GetValue(principals)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (username.Length == 0 || username.Any(char.IsWhiteSpace))
            {
                throw new CommandException("--user must be a non-empty name without spaces");
            }
            if (list.Length == 0)
            {
                throw new CommandException("--principals must name at least one principal");
            }
            if (!DurationText.TryParse(parse.GetValue(ttl), TimeSpan.FromDays(1), out var lifetime))
            {
                throw new CommandException($"--ttl \"{parse.GetValue(ttl)}\" is not a duration up to 1d (like 5m)");
            }
            var token = await MintAsync(parse.GetValue(dataDir)!, username, list, lifetime, cancellationToken);
            await output.WriteLineAsync(token);
            return 0;
        });
        return command;
    }

    /// <summary>Stores the hash of a new token with its audit event and returns the token.</summary>
    public static async Task<string> MintAsync(string dataDir, string username, IReadOnlyList<string> principals, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        using var context = await LocalServerContext.OpenAsync(dataDir, cancellationToken);
        var token = OneTimeTokenProvider.NewToken();
        var now = context.NowMs;
        var expires = now + (long)lifetime.TotalMilliseconds;
        var hash = TokenDigest.StorageHash(token);
        await context.Store.CreateOneTimeTokenAsync(
            new OneTimeTokenRecord(hash, OneTimeTokenProvider.UserKind, username, JsonSerializer.Serialize(principals), now, expires),
            context.Audit("token.create", username, new()
            {
                ["principals"] = principals,
                ["expires_at"] = expires,
                ["token_hash_prefix"] = hash[..12],
            }),
            cancellationToken);
        return token;
    }
}
