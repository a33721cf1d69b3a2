using System.CommandLine;
using Beacon.Client;
using Beacon.CommandLine;
using Beacon.Host.Files;
using Beacon.Ssh.Keys;

namespace Beacon.Host.Commands.Enroll;

/// <summary>
/// beacon-host enroll --token T: sends the host's public keys and names with a one-time token and
/// installs one host certificate per key (ssh_host_TYPE_key-cert.pub); the token's groups become the host's.
/// </summary>
internal static class EnrollCommand
{
    public static Command Create(HostConsole console)
    {
        var root = HostOptions.Root();
        var verbose = HostOptions.Verbose();
        var token = new Option<string>("--token")
        {
            Description = "The one-time enrollment token (beacon-host-…) from beacon-server host-token create; used up by this attempt",
            Required = true,
        };
        var command = new Command("enroll", "Enroll this host: get a host certificate for each etc/ssh/ssh_host_*_key.pub, and the host's groups")
        {
            root, verbose, token,
        };
        command.SetHostAction(async (parse, cancellationToken) =>
        {
            var paths = HostOptions.Paths(parse, root);
            var progress = HostOptions.Progress(console, parse.GetValue(verbose));
            var config = HostConfig.Load(paths);
            var keyFiles = HostKeyFiles.Discover(paths);
            var keys = new List<(HostKeyFiles Files, SshPublicKey Key)>();
            foreach (var files in keyFiles)
            {
                var key = files.ReadPublicKey();
                // DSA host keys are obsolete and the server refuses them; enroll the others.
                if (key.KeyType == "ssh-dss")
                {
                    progress($"{files.PublicKeyFile}: DSA, skipped");
                    continue;
                }
                keys.Add((files, key));
            }
            if (keys.Count == 0)
            {
                throw new HostException($"no host public keys in {paths.SshDirectory} (ssh_host_*_key.pub)");
            }
            // ssh compares host names in lowercase, and the server accepts only lowercase names.
            var names = config.Names.Count > 0 ? config.Names : [System.Net.Dns.GetHostName().ToLowerInvariant()];
            using var client = HostClient.Create(config);
            HostEnrollment enrollment;
            try
            {
                enrollment = await client.EnrollHostAsync(parse.GetValue(token)!, names, keys.Select(k => k.Key).ToList(), cancellationToken);
            }
            catch (BeaconApiException e)
            {
                throw new HostException($"enrollment refused: {e.Message}", e);
            }
            for (var i = 0; i < keys.Count; i++)
            {
                var certificate = enrollment.Certificates[i];
                keys[i].Files.WriteCertificate(certificate.Certificate);
                console.Out.WriteLine($"{keys[i].Files.CertificateFile}: valid until {certificate.ValidBefore:yyyy-MM-dd HH:mm:ss}Z for {string.Join(',', certificate.Certificate.Principals)}");
            }
            var groups = Bootstrap.BootstrapCommand.Validated(enrollment.Groups, "group");
            (config with { Groups = groups, HostId = enrollment.HostId, Names = names.ToList(), HostKeys = keys.Select(k => k.Files.PublicKeyFile).ToList() }).Save(paths);
            console.Out.WriteLine($"enrolled as host {enrollment.HostId} in group(s) {string.Join(',', groups)}");
            HostCertificateReload.Run(paths, config, console.Out.WriteLine);
            return ExitCodes.Ok;
        });
        return command;
    }
}
