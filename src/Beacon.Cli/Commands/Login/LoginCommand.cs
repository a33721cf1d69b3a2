using System.CommandLine;
using Beacon.Cli.Certificates;
using Beacon.Cli.Login;
using Beacon.Cli.Server;
using Beacon.Cli.Settings;
using Beacon.Client;
using Beacon.CommandLine;

namespace Beacon.Cli.Commands.Login;

/// <summary>
/// beacon login: the OAuth device flow (RFC 8628) with the server's identity provider, then the user's
/// key, a certificate for it, and both in ssh-agent for the certificate's lifetime (DESIGN flow 1).
/// </summary>
internal static class LoginCommand
{
    public static Command Create(CliConsole console)
    {
        var provider = new Option<string?>("--provider") { Description = "The identity provider to log in with (default: the one chosen at init, or the only one with a device login)." };
        var ttl = new Option<string?>("--ttl") { Description = "Ask for a certificate lifetime such as 15m or 1h (the server's policy decides the default and the maximum)." };
        var hostGroup = HostGroupOption();
        var passphraseFile = PassphraseFileOption();
        var noBrowser = new Option<bool>("--no-browser") { Description = "Do not open a browser, only print the address and the code." };
        var command = new Command("login",
            "Log in with the identity provider (device flow: enter a code in a browser, anywhere), then make or reuse your Ed25519 key " +
            "(encrypted with a passphrase: prompted, or BEACON_KEY_PASSPHRASE / BEACON_KEY_PASSPHRASE_FILE), get a certificate, store it beside " +
            "the key and add both to ssh-agent for the certificate's lifetime.")
        {
            provider, ttl, hostGroup, passphraseFile, noBrowser,
        };
        CommandAction.Set(command, console, (parse, cancellationToken) => ExecuteAsync(parse.GetValue(provider), parse.GetValue(ttl), parse.GetValue(hostGroup),
            parse.GetValue(passphraseFile), parse.GetValue(noBrowser), console, cancellationToken));
        return command;
    }

    /// <summary>--host-group: hosts managed by beacon-host accept only certificates scoped to one of their groups.</summary>
    public static Option<string?> HostGroupOption() => new("--host-group")
    {
        Description = "Scope the certificate to this host group (principals ACCOUNT@GROUP), as hosts managed by beacon-host require; " +
            "remembered, so beacon ssh renews for the same group (default: no group).",
    };

    public static Option<string?> PassphraseFileOption() => new("--passphrase-file")
    {
        Description = "A file whose first line is your key's passphrase (for automation; default BEACON_KEY_PASSPHRASE_FILE, then BEACON_KEY_PASSPHRASE, then a prompt).",
    };

    private static async Task<int> ExecuteAsync(string? requested, string? ttl, string? hostGroup, string? passphraseFile, bool noBrowser, CliConsole console, CancellationToken cancellationToken)
    {
        var paths = BeaconPaths.From(console);
        var config = CliConfig.Load(paths);
        using (var client = ServerConnection.Open(config))
        {
            try
            {
                // Fresh from the server: the operator may have added or changed a provider since init.
                config = config with { Providers = (await client.GetLoginConfigAsync(cancellationToken)).Providers };
            }
            catch (BeaconApiException e)
            {
                throw ServerConnection.Explain(e, "login");
            }
        }
        var provider = ProviderChoice.Pick(config.Providers, requested, config.Provider, p => p.DeviceFlow, "a device login");
        var tokens = await DeviceLoginAsync(provider, noBrowser, console, cancellationToken);
        var now = console.Clock.GetUtcNow();
        var stored = new StoredToken(provider.Name, tokens.AccessToken, now, tokens.ExpiresIn is { } life ? now + life : null);
        TokenStore.Save(paths, stored);
        config = config with { HostGroup = hostGroup };
        config.Save(paths);

        var issued = await new UserCertificateRenewal(paths, () => config, console, passphraseFile).RenewAsync(stored, ttl, cancellationToken);
        var (_, identity) = StoredCertificate.Identity(issued.Certificate);
        console.Out.WriteLine($"Logged in as {identity} ({provider.Name}). Certificate {paths.CertificateFile}: principals {string.Join(",", issued.Principals)}, " +
            $"valid until {TimeText.Iso(issued.ValidBefore)} ({TimeText.Duration(issued.ValidBefore - console.Clock.GetUtcNow())} left).");
        return ExitCodes.Ok;
    }

    private static async Task<DeviceFlowTokens> DeviceLoginAsync(LoginProviderInfo provider, bool noBrowser, CliConsole console, CancellationToken cancellationToken)
    {
        using var http = IdentityProviderHttp.Create();
        var endpoints = await LoginEndpoints.ResolveAsync(provider, http, cancellationToken);
        var flow = new DeviceFlowClient(http);
        var authorization = await flow.AuthorizeAsync(endpoints, cancellationToken);
        console.Out.WriteLine($"To log in with {provider.Name}, open {authorization.VerificationUri} in a browser and enter the code {authorization.UserCode}");
        if (authorization.VerificationUriComplete is { } complete)
        {
            console.Out.WriteLine($"  (or open {complete})");
        }
        if (!noBrowser && Browser.TryOpen(authorization.VerificationUriComplete ?? authorization.VerificationUri, console))
        {
            console.Out.WriteLine("  (opened in your browser)");
        }
        console.Out.Write($"Waiting for approval (the code expires in {TimeText.Duration(authorization.ExpiresIn)})");
        console.Out.Flush();
        try
        {
            var tokens = await flow.PollAsync(endpoints, authorization, _ =>
            {
                console.Out.Write('.');
                console.Out.Flush();
            }, console.Clock, cancellationToken);
            console.Out.WriteLine(" approved.");
            return tokens;
        }
        catch (CliException)
        {
            console.Out.WriteLine();
            throw;
        }
    }
}
