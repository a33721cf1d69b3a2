using Beacon.Cli.Processes;
using Beacon.Ssh;
using Beacon.Ssh.Agent;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Cli.Agent;

/// <summary>The user's ssh-agent (SSH_AUTH_SOCK): what it holds, adding the key with its certificate, removing BeaconSSH's entries.</summary>
internal sealed class AgentSession(string socket, CliConsole console)
{
    /// <summary>BeaconSSH certificates' key ids start with this (beacon:PROVIDER:USER:REQUEST).</summary>
    public const string KeyIdPrefix = "beacon:";

    public string Socket { get; } = socket;

    /// <summary>The agent named by SSH_AUTH_SOCK, or null when none is.</summary>
    public static AgentSession? FromEnvironment(CliConsole console) =>
        console.Variable("SSH_AUTH_SOCK") is { } socket ? new AgentSession(socket, console) : null;

    public static bool IsBeacon(AgentIdentity identity) => identity.Certificate?.KeyId.StartsWith(KeyIdPrefix, StringComparison.Ordinal) == true;

    /// <exception cref="CliException">The agent cannot be reached or answers nonsense.</exception>
    public async Task<IReadOnlyList<AgentIdentity>> ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var agent = await SshAgentClient.ConnectAsync(Socket, cancellationToken: cancellationToken);
            return await agent.ListAsync(cancellationToken);
        }
        catch (Exception e) when (e is SshAgentException or SshFormatException)
        {
            throw new CliException($"ssh-agent: {e.Message}");
        }
    }

    /// <summary>Whether the agent holds exactly this certificate.</summary>
    public async Task<bool> HoldsAsync(SshCertificate certificate, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).Any(i => i.Certificate?.Equals(certificate) == true);

    /// <summary>Removes BeaconSSH certificates that have expired (ones added without a lifetime, or by an older agent); returns how many.</summary>
    public Task<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        RemoveAsync(i => IsBeacon(i) && i.Certificate!.ValidBeforeTime <= now, cancellationToken);

    /// <summary>Removes every BeaconSSH certificate and the plain key <paramref name="key"/> (logout); returns how many entries.</summary>
    public Task<int> RemoveBeaconAsync(SshPublicKey? key, CancellationToken cancellationToken) =>
        RemoveAsync(i => IsBeacon(i) || (key is not null && i.Key?.Equals(key) == true), cancellationToken);

    private async Task<int> RemoveAsync(Func<AgentIdentity, bool> which, CancellationToken cancellationToken)
    {
        try
        {
            await using var agent = await SshAgentClient.ConnectAsync(Socket, cancellationToken: cancellationToken);
            var removed = 0;
            foreach (var identity in (await agent.ListAsync(cancellationToken)).Where(which))
            {
                await agent.RemoveAsync(identity.Blob, cancellationToken);
                removed++;
            }
            return removed;
        }
        catch (Exception e) when (e is SshAgentException or SshFormatException)
        {
            throw new CliException($"ssh-agent: {e.Message}");
        }
    }

    /// <summary>
    /// Adds the key file and the certificate beside it (KEY-cert.pub) with ssh-add -t, so the agent forgets
    /// both when the certificate expires. The passphrase reaches ssh-add through SSH_ASKPASS (forced), from
    /// a helper that answers once: a wrong passphrase fails instead of being retried forever.
    /// </summary>
    /// <returns>The lifetime given to the agent, in seconds.</returns>
    /// <exception cref="CliException">ssh-add failed (wrong passphrase, agent unreachable).</exception>
    public long AddKeyAndCertificate(string keyFile, TimeSpan lifetime, string passphrase)
    {
        var sshAdd = OpenSshTools.Require("ssh-add", console);
        var helper = Directory.CreateTempSubdirectory("beacon-askpass-");
        try
        {
            File.SetUnixFileMode(helper.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var script = Path.Combine(helper.FullName, "askpass");
            var used = Path.Combine(helper.FullName, "answered");
            var askedAgain = Path.Combine(helper.FullName, "asked-again");
            // Asked a second time means the first answer was wrong: say so (by a file) and give up.
            File.WriteAllText(script, $"#!/bin/sh\nif [ -e '{used}' ]; then : > '{askedAgain}'; exit 1; fi\n: > '{used}'\nprintf '%s\\n' \"$BEACON_ASKPASS_PASSPHRASE\"\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            // ssh-add sets the agent's timer after it has decrypted the key (the KDF takes a moment): a
            // second less, rounded down, so the agent never holds the certificate past its expiry.
            var seconds = Math.Max(1, (long)Math.Floor(lifetime.TotalSeconds) - 1);
            var result = ChildProcess.Run(sshAdd, ["-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), keyFile], new Dictionary<string, string?>
            {
                ["SSH_AUTH_SOCK"] = Socket,
                ["SSH_ASKPASS"] = script,
                ["SSH_ASKPASS_REQUIRE"] = "force",
                ["DISPLAY"] = console.Variable("DISPLAY") ?? ":0",
                ["BEACON_ASKPASS_PASSPHRASE"] = passphrase,
            });
            if (result.ExitCode != 0)
            {
                var reason = File.Exists(askedAgain) || result.Error.Contains("Bad passphrase", StringComparison.Ordinal)
                    ? "wrong passphrase for your key"
                    : result.Reason;
                throw new CliException($"ssh-add could not load your key into the agent: {reason}");
            }
            if (!result.Error.Contains("Certificate added", StringComparison.Ordinal))
            {
                throw new CliException($"ssh-add loaded the key but not its certificate: {result.Reason}");
            }
            return seconds;
        }
        finally
        {
            try
            {
                helper.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Adds an in-memory key with its certificate (CI mode: the key never touches the disk).</summary>
    public async Task AddInMemoryAsync(SshPrivateKey key, SshCertificate certificate, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        try
        {
            await using var agent = await SshAgentClient.ConnectAsync(Socket, cancellationToken: cancellationToken);
            await agent.AddCertificateAsync(key, certificate, certificate.KeyId, lifetime, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is SshAgentException or SshFormatException)
        {
            throw new CliException($"ssh-agent: {e.Message}");
        }
    }
}
