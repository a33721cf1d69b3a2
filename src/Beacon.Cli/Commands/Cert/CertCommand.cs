using System.CommandLine;
using Beacon.Cli.Agent;
using Beacon.Cli.Certificates;
using Beacon.Cli.Server;
using Beacon.Cli.Settings;
using Beacon.Client;
using Beacon.CommandLine;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;

namespace Beacon.Cli.Commands.Cert;

/// <summary>
/// beacon cert: CI mode (DESIGN flow 8). The job's OIDC token buys a short certificate for a key made in
/// memory; the key is never stored unless --out asks for files, and nothing persists between jobs.
/// </summary>
internal static class CertCommand
{
    public static Command Create(CliConsole console)
    {
        var githubActions = new Option<bool>("--github-actions") { Description = "Get the job's OIDC token from GitHub Actions (needs `permissions: id-token: write`)." };
        var idTokenFile = new Option<string?>("--id-token-file") { Description = "Read the job's OIDC token (a JWT) from this file instead (GitLab CI, Buildkite, any issuer the server's jwt provider trusts)." };
        var audience = new Option<string?>("--audience") { Description = "The audience to ask GitHub Actions for (default: the first audience the server's jwt provider accepts)." };
        var provider = new Option<string?>("--provider") { Description = "The server's jwt provider to use (default: the only one)." };
        var server = new Option<string?>("--server") { Description = "The server's URL (default BEACON_SERVER, then the config from beacon init)." };
        var fingerprint = new Option<string?>("--fingerprint") { Description = "The server's TLS fingerprint (default BEACON_FINGERPRINT, then the config)." };
        var outDirectory = new Option<string?>("--out") { Description = "Write DIR/id_ed25519 (0600), DIR/id_ed25519.pub and DIR/id_ed25519-cert.pub." };
        var agent = new Option<bool>("--agent") { Description = "Add the key and certificate to ssh-agent (SSH_AUTH_SOCK) for the certificate's lifetime; nothing is written to disk." };
        var ttl = new Option<string>("--ttl") { Description = "Certificate lifetime to ask for.", DefaultValueFactory = _ => "10m" };
        var hostGroup = Login.LoginCommand.HostGroupOption();
        var principals = new Option<string[]>("--principal") { Description = "A principal to ask for (repeatable; default: what the policy grants)." };
        var command = new Command("cert",
            "CI mode: exchange the job's OIDC token for a short-lived certificate (about 10 minutes) on a key made in memory. " +
            "Give --github-actions or --id-token-file, and --out DIR or --agent.")
        {
            githubActions, idTokenFile, audience, provider, server, fingerprint, outDirectory, agent, ttl, principals, hostGroup,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(githubActions) == (result.GetValue(idTokenFile) is not null))
            {
                result.AddError("give exactly one of --github-actions and --id-token-file");
            }
            if (result.GetValue(agent) == (result.GetValue(outDirectory) is not null))
            {
                result.AddError("give exactly one of --out DIR and --agent");
            }
        });
        CommandAction.Set(command, console, (parse, cancellationToken) => ExecuteAsync(new CertRequest(
            parse.GetValue(githubActions), parse.GetValue(idTokenFile), parse.GetValue(audience), parse.GetValue(provider),
            parse.GetValue(server), parse.GetValue(fingerprint), parse.GetValue(outDirectory), parse.GetValue(ttl)!,
            parse.GetValue(principals) is { Length: > 0 } list ? list : null, parse.GetValue(hostGroup)), console, cancellationToken));
        return command;
    }

    private sealed record CertRequest(bool GitHubActions, string? IdTokenFile, string? Audience, string? Provider, string? Server, string? Fingerprint,
        string? OutDirectory, string Ttl, string[]? Principals, string? HostGroup);

    private static async Task<int> ExecuteAsync(CertRequest request, CliConsole console, CancellationToken cancellationToken)
    {
        // A token file is judged before anything goes over the network.
        var fileToken = request.IdTokenFile is { } file ? WorkloadToken.FromFile(file) : null;
        var (serverUrl, serverFingerprint) = Server(request, console);
        using var client = ServerConnection.Open(serverUrl, serverFingerprint);
        LoginConfig login;
        try
        {
            login = await client.GetLoginConfigAsync(cancellationToken);
        }
        catch (BeaconApiException e)
        {
            throw ServerConnection.Explain(e, "cert");
        }
        var provider = ProviderChoice.Pick(login.Providers, request.Provider, null, p => p.Type == "jwt", "CI tokens (type jwt)");
        var token = fileToken
            ?? await WorkloadToken.FromGitHubActionsAsync(console, request.Audience ?? provider.Audiences?.FirstOrDefault()
                ?? throw new CliException($"identity provider \"{provider.Name}\" names no audience: give --audience"), cancellationToken);

        using var key = Ed25519PrivateKey.Generate();
        IssuedCertificate issued;
        try
        {
            issued = await client.RequestUserCertificateAsync(token, new CertificateRequest(key.PublicKey) { Ttl = request.Ttl, Principals = request.Principals, HostGroup = request.HostGroup },
                provider.Name, cancellationToken);
        }
        catch (BeaconApiException e)
        {
            throw ServerConnection.Explain(e, "certificate");
        }
        var lifetime = issued.ValidBefore - console.Clock.GetUtcNow();
        string where;
        if (request.OutDirectory is { } directory)
        {
            Directory.CreateDirectory(directory);
            var keyFile = Path.Combine(directory, "id_ed25519");
            PrivateFiles.WriteAtomically(keyFile, OpenSshPrivateKeyFile.Write(key, issued.KeyId), PrivateFiles.Private);
            PrivateFiles.WriteAtomically(keyFile + ".pub", key.PublicKey.ToOpenSshString(issued.KeyId) + "\n", PrivateFiles.Public);
            PrivateFiles.WriteAtomically(keyFile + "-cert.pub", issued.Certificate.ToOpenSshString() + "\n", PrivateFiles.Public);
            where = $"wrote {keyFile} and {keyFile}-cert.pub";
        }
        else
        {
            var agent = AgentSession.FromEnvironment(console) ?? throw new CliException("--agent: SSH_AUTH_SOCK is not set (start one with `eval $(ssh-agent)`)");
            await agent.AddInMemoryAsync(key, issued.Certificate, lifetime, cancellationToken);
            where = "added to ssh-agent for its lifetime";
        }
        console.Out.WriteLine($"Certificate {issued.KeyId} (serial {issued.Serial}) for {string.Join(",", issued.Principals)}, valid until " +
            $"{TimeText.Iso(issued.ValidBefore)} ({TimeText.Duration(lifetime)}): {where}.");
        return ExitCodes.Ok;
    }

    private static (string Url, string Fingerprint) Server(CertRequest request, CliConsole console)
    {
        var url = request.Server ?? console.Variable("BEACON_SERVER");
        var fingerprint = request.Fingerprint ?? console.Variable("BEACON_FINGERPRINT");
        if (url is not null && fingerprint is not null)
        {
            return (url, fingerprint);
        }
        if (url is not null || fingerprint is not null)
        {
            throw new CliException("give both the server and its fingerprint (--server and --fingerprint, or BEACON_SERVER and BEACON_FINGERPRINT)");
        }
        var config = CliConfig.TryLoad(BeaconPaths.From(console))
            ?? throw new CliException("no server: give --server and --fingerprint (or BEACON_SERVER and BEACON_FINGERPRINT), or run `beacon init`");
        return (config.Server, config.Fingerprint);
    }
}
