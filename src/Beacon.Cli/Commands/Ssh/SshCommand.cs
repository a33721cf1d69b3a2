using System.CommandLine;
using Beacon.Cli.Agent;
using Beacon.Cli.Certificates;
using Beacon.Cli.Processes;
using Beacon.Cli.Settings;
using Beacon.CommandLine;

namespace Beacon.Cli.Commands.Ssh;

/// <summary>
/// beacon ssh [ssh arguments]: makes sure a fresh certificate is in the agent (renewing it with the stored
/// login when it is missing or about to expire), then runs ssh with the arguments exactly as given.
/// </summary>
internal static class SshCommand
{
    public const string Description =
        "Run ssh with your BeaconSSH certificate: when the stored certificate is missing or has under a minute left it is renewed with the " +
        "token from `beacon login` first (no network otherwise), and the key and certificate are put back in ssh-agent if the agent lost them. " +
        "Every argument after `ssh` goes to ssh unchanged; the exit code is ssh's. BEACON_SSH names another ssh program.";

    /// <summary>The command as --help shows it; `beacon ssh ARGS` itself is dispatched before parsing (its arguments are ssh's, not ours).</summary>
    public static Command Create(CliConsole console)
    {
        var arguments = new Argument<string[]>("SSH-ARGUMENTS") { Description = "Passed to ssh unchanged, e.g. -p 2222 user@host uptime.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("ssh", Description) { arguments };
        command.TreatUnmatchedTokensAsErrors = false;
        CommandAction.Set(command, console, (parse, cancellationToken) =>
            RunAsync([.. parse.GetValue(arguments) ?? [], .. parse.UnmatchedTokens], console, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string[] sshArguments, CliConsole console, CancellationToken cancellationToken)
    {
        var paths = BeaconPaths.From(console);
        var agent = AgentSession.FromEnvironment(console);
        var renewal = new UserCertificateRenewal(paths, () => CliConfig.Load(paths), console, passphraseFile: null);
        var certificate = StoredCertificate.Load(paths);
        if (certificate is not null && StoredCertificate.IsFresh(certificate, console.Clock.GetUtcNow()))
        {
            if (agent is not null && !await agent.HoldsAsync(certificate, cancellationToken))
            {
                await renewal.LoadIntoAgentAsync(certificate, cancellationToken);
            }
        }
        else
        {
            CliConfig.Load(paths);
            var token = TokenStore.Load(paths) ?? throw new CliException(certificate is null
                ? "no certificate and no login: run `beacon login`"
                : "your certificate has expired and there is no stored login: run `beacon login`");
            // A token its provider has already expired would only fetch a 401: say so without asking.
            if (token.ExpiresAt is { } expires && expires <= console.Clock.GetUtcNow())
            {
                throw new CliException($"your certificate {(certificate is null ? "is missing" : "has expired")} and your login expired at {TimeText.Iso(expires)}: run `beacon login`");
            }
            try
            {
                await renewal.RenewAsync(token, ttl: null, cancellationToken);
            }
            catch (CliException e) when (!e.Message.Contains("beacon login", StringComparison.Ordinal))
            {
                throw new CliException($"could not renew your certificate: {e.Message}; run `beacon login`");
            }
        }
        var ssh = console.Variable("BEACON_SSH") ?? OpenSshTools.Require("ssh", console);
        var environment = new Dictionary<string, string?>();
        List<string> arguments = [];
        if (agent is not null)
        {
            environment["SSH_AUTH_SOCK"] = agent.Socket;
        }
        else
        {
            // No agent: ssh reads the key (asking for its passphrase) and the certificate itself.
            arguments.AddRange(["-i", paths.KeyFile, "-o", $"CertificateFile={paths.CertificateFile}"]);
        }
        arguments.AddRange(sshArguments);
        return ChildProcess.RunAttached(ssh, arguments, environment);
    }
}
