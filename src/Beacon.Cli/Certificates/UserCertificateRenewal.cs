using Beacon.Cli.Agent;
using Beacon.Cli.Keys;
using Beacon.Cli.Server;
using Beacon.Cli.Settings;
using Beacon.Client;
using Beacon.Ssh.Certificates;

namespace Beacon.Cli.Certificates;

/// <summary>
/// DESIGN flow 1 after the token: the user's key (made if missing), a certificate for it from the server,
/// stored beside the key, and both in ssh-agent for exactly the certificate's remaining validity.
/// The config is read only when the server is asked (beacon ssh with a fresh certificate never reads it).
/// </summary>
internal sealed class UserCertificateRenewal(BeaconPaths paths, Func<CliConfig> config, CliConsole console, string? passphraseFile)
{
    private string? _passphrase;

    private string PassphraseFor(bool creating) => _passphrase ??= Passphrase.Get(console, passphraseFile, confirm: creating);

    /// <exception cref="CliException">The server refused, the key cannot be made or loaded, the agent failed.</exception>
    public async Task<IssuedCertificate> RenewAsync(StoredToken token, string? ttl, CancellationToken cancellationToken)
    {
        var publicKey = UserKey.Ensure(paths, console, () => PassphraseFor(creating: true));
        IssuedCertificate issued;
        using (var client = ServerConnection.Open(config()))
        {
            try
            {
                issued = await client.RequestUserCertificateAsync(token.AccessToken, new CertificateRequest(publicKey) { Ttl = ttl, HostGroup = config().HostGroup }, token.Provider, cancellationToken);
            }
            catch (BeaconApiException e)
            {
                throw ServerConnection.Explain(e, "certificate");
            }
        }
        StoredCertificate.Save(paths, issued.Certificate);
        await LoadIntoAgentAsync(issued.Certificate, cancellationToken);
        return issued;
    }

    /// <summary>Adds the key and the stored certificate to the agent (after removing expired BeaconSSH certificates); false when no agent runs.</summary>
    public async Task<bool> LoadIntoAgentAsync(SshCertificate certificate, CancellationToken cancellationToken)
    {
        if (AgentSession.FromEnvironment(console) is not { } agent)
        {
            console.Out.WriteLine($"No ssh-agent (SSH_AUTH_SOCK is unset): use the key with `ssh -i {paths.KeyFile}`; ssh reads the certificate beside it.");
            return false;
        }
        var now = console.Clock.GetUtcNow();
        await agent.RemoveExpiredAsync(now, cancellationToken);
        var seconds = agent.AddKeyAndCertificate(paths.KeyFile, certificate.ValidBeforeTime - now, PassphraseFor(creating: false));
        console.Out.WriteLine($"Added your key and certificate to ssh-agent for {TimeText.Duration(TimeSpan.FromSeconds(seconds))}, the certificate's remaining validity.");
        return true;
    }
}
