using System.CommandLine;
using Beacon.Cli.Server;
using Beacon.Cli.Settings;
using Beacon.Client;
using Beacon.CommandLine;

namespace Beacon.Cli.Commands.Init;

/// <summary>
/// beacon init --server URL --fingerprint SHA256: pins the server by its TLS certificate's fingerprint (no
/// trust on first use) and learns from it which identity providers it accepts and how to log in.
/// </summary>
internal static class InitCommand
{
    public static Command Create(CliConsole console)
    {
        var server = new Option<string>("--server") { Description = "The server's URL, https://HOST:PORT.", Required = true };
        var fingerprint = new Option<string>("--fingerprint")
        {
            Description = "SHA-256 of the server's TLS certificate as `beacon-server init` printed it (64 hex digits, colons allowed). Only that certificate is ever accepted.",
            Required = true,
        };
        var provider = new Option<string?>("--provider") { Description = "The identity provider `beacon login` uses by default (when the server has several)." };
        var command = new Command("init", "Pin the BeaconSSH server by its TLS fingerprint and learn how to log in (GET /v1/login-config); writes config.json in the config directory.")
        {
            server, fingerprint, provider,
        };
        CommandAction.Set(command, console, (parse, cancellationToken) =>
            ExecuteAsync(parse.GetValue(server)!, parse.GetValue(fingerprint)!, parse.GetValue(provider), console, cancellationToken));
        return command;
    }

    private static async Task<int> ExecuteAsync(string server, string fingerprint, string? provider, CliConsole console, CancellationToken cancellationToken)
    {
        var paths = BeaconPaths.From(console);
        LoginConfig login;
        using (var client = ServerConnection.Open(server, fingerprint))
        {
            try
            {
                login = await client.GetLoginConfigAsync(cancellationToken);
            }
            catch (BeaconApiException e)
            {
                throw ServerConnection.Explain(e, "init");
            }
        }
        if (provider is not null && login.Providers.All(p => p.Name != provider))
        {
            throw new CliException($"the server has no identity provider \"{provider}\" (it has: {string.Join(", ", login.Providers.Select(p => p.Name))})");
        }
        var previous = CliConfig.TryLoad(paths);
        var config = new CliConfig(server.TrimEnd('/'), PinnedTls.Normalize(fingerprint))
        {
            Provider = provider ?? login.Providers.FirstOrDefault(p => p.DeviceFlow)?.Name,
            Providers = login.Providers,
        };
        config.Save(paths);
        // A login for another server is no login for this one.
        if (previous is not null && (previous.Server != config.Server || previous.Fingerprint != config.Fingerprint))
        {
            TokenStore.Delete(paths);
        }
        console.Out.WriteLine($"Pinned {config.Server} (TLS certificate SHA-256 {config.Fingerprint}).");
        foreach (var p in login.Providers)
        {
            var how = p.DeviceFlow ? "device login" : p.Type == "jwt" ? "CI tokens: beacon cert" : "no device login";
            console.Out.WriteLine($"  identity provider {p.Name} ({p.Type}): {how}{(p.Name == config.Provider ? " [default]" : "")}");
        }
        console.Out.WriteLine($"Wrote {paths.ConfigFile}. Next: beacon login");
        return ExitCodes.Ok;
    }
}
