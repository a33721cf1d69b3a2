using System.CommandLine;
using Beacon.Cli.Server;
using Beacon.Cli.Settings;
using Beacon.Client;
using Beacon.CommandLine;
using Beacon.Ssh;
using Beacon.Ssh.Trust;

namespace Beacon.Cli.Commands.Trust;

/// <summary>beacon trust: the server's host CA as an @cert-authority line in ~/.ssh/known_hosts, so ssh trusts hosts by certificate and never asks.</summary>
internal static class TrustCommand
{
    public static Command Create(CliConsole console)
    {
        var hosts = new Option<string?>("--hosts") { Description = "Comma-separated host patterns the host CA vouches for, e.g. '*.example.com' (default *: every host)." };
        var knownHosts = new Option<string?>("--known-hosts") { Description = "The known_hosts file to write (default ~/.ssh/known_hosts)." };
        var command = new Command("trust",
            "Trust hosts whose host certificate the server's host CA signed: writes one @cert-authority line to known_hosts " +
            "(atomically; a line for the same CA is replaced, every other line kept; nothing is written when it is already there).")
        {
            hosts, knownHosts,
        };
        CommandAction.Set(command, console, (parse, cancellationToken) => ExecuteAsync(parse.GetValue(hosts), parse.GetValue(knownHosts), console, cancellationToken));
        return command;
    }

    private static async Task<int> ExecuteAsync(string? hosts, string? knownHosts, CliConsole console, CancellationToken cancellationToken)
    {
        var paths = BeaconPaths.From(console);
        var config = CliConfig.Load(paths);
        if (hosts is not null)
        {
            try
            {
                KnownHostsCertAuthority.ParsePatterns(hosts);
            }
            catch (SshFormatException e)
            {
                throw new CliException($"--hosts: {e.Message}");
            }
        }
        string line;
        using (var client = ServerConnection.Open(config))
        {
            try
            {
                line = await client.GetKnownHostsLineAsync(hosts, cancellationToken);
            }
            catch (BeaconApiException e)
            {
                throw ServerConnection.Explain(e, "trust");
            }
        }
        KnownHostsCertAuthority authority;
        try
        {
            authority = KnownHostsCertAuthority.Parse(line);
        }
        catch (SshFormatException e)
        {
            throw new CliException($"trust: the server's known_hosts line is malformed: {e.Message}");
        }
        var file = knownHosts ?? (paths.Home.Length > 0 ? paths.KnownHostsFile : throw new CliException("HOME is not set: give --known-hosts"));
        var changed = KnownHostsFile.Apply(file, authority);
        console.Out.WriteLine(changed
            ? $"Trusting hosts {string.Join(",", authority.Patterns)} signed by host CA {authority.Key.Fingerprint}: wrote {file}"
            : $"Already trusting hosts {string.Join(",", authority.Patterns)} signed by host CA {authority.Key.Fingerprint} in {file}");
        return ExitCodes.Ok;
    }
}
