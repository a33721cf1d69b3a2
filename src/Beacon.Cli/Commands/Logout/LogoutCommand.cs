using System.CommandLine;
using Beacon.Cli.Agent;
using Beacon.Cli.Keys;
using Beacon.Cli.Settings;
using Beacon.CommandLine;
using Beacon.Ssh.Keys;

namespace Beacon.Cli.Commands.Logout;

/// <summary>beacon logout: BeaconSSH's entries leave the agent, and the stored token and certificate are deleted. The key stays (encrypted).</summary>
internal static class LogoutCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("logout",
            "Remove BeaconSSH certificates and your BeaconSSH key from ssh-agent, and delete the stored login token and certificate. " +
            "Your encrypted key stays for the next login.");
        CommandAction.Set(command, console, async (_, cancellationToken) =>
        {
            var paths = BeaconPaths.From(console);
            SshPublicKey? key = null;
            try
            {
                key = File.Exists(paths.KeyFile) ? UserKey.Read(paths) : null;
            }
            catch (CliException)
            {
                // An unreadable key is not ours to judge here: still remove every BeaconSSH certificate.
            }
            var removed = 0;
            if (AgentSession.FromEnvironment(console) is { } agent)
            {
                removed = await agent.RemoveBeaconAsync(key, cancellationToken);
            }
            var token = TokenStore.Delete(paths);
            var certificate = PrivateFiles.TryDelete(paths.CertificateFile);
            console.Out.WriteLine($"Logged out: {removed} agent {(removed == 1 ? "entry" : "entries")} removed, " +
                $"{(token ? "login token deleted" : "no login token stored")}, {(certificate ? "certificate deleted" : "no certificate stored")}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
