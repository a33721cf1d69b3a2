using System.CommandLine;
using Beacon.Client;
using Beacon.CommandLine;
using Beacon.Host.Files;
using Beacon.Ssh.SshSig;

namespace Beacon.Host.Commands.Renew;

/// <summary>
/// beacon-host renew: for each host certificate, proves possession of the host key (an SSHSIG over the
/// server's challenge, made with the host's own private key) and installs the renewed certificate.
/// No token; no private key other than the host key is ever read.
/// </summary>
internal static class RenewCommand
{
    public static Command Create(HostConsole console)
    {
        var root = HostOptions.Root();
        var verbose = HostOptions.Verbose();
        var ifExpiring = new Option<TimeSpan?>("--if-expiring-within")
        {
            Description = "Renew only certificates with less than this left (e.g. 7d); without it, renew all",
            CustomParser = CommandLineRunner.Parser<TimeSpan?>(text => DurationParser.Parse(text)),
        };
        var command = new Command("renew", "Renew the host certificates by proof of possession of the host keys")
        {
            root, verbose, ifExpiring,
        };
        command.SetHostAction(async (parse, cancellationToken) =>
        {
            var paths = HostOptions.Paths(parse, root);
            var progress = HostOptions.Progress(console, parse.GetValue(verbose));
            var config = HostConfig.Load(paths);
            var threshold = parse.GetValue(ifExpiring);
            var now = console.Clock.GetUtcNow();
            var keyFiles = config.HostKeys.Count > 0 ? config.HostKeys.Select(f => new HostKeyFiles(f)).ToList() : HostKeyFiles.Discover(paths);
            var withCertificates = keyFiles.Select(f => (Files: f, Certificate: f.ReadCertificate())).Where(c => c.Certificate is not null).ToList();
            if (withCertificates.Count == 0)
            {
                throw new HostException($"no host certificate to renew in {paths.SshDirectory}; run beacon-host enroll first");
            }
            using var client = HostClient.Create(config);
            var renewed = 0;
            IReadOnlyList<string>? groups = null;
            foreach (var (files, current) in withCertificates)
            {
                var left = current!.ValidBeforeTime - now;
                if (threshold is { } limit && left > limit)
                {
                    progress($"{files.CertificateFile}: {Format(left)} left, not renewed");
                    continue;
                }
                HostEnrollment result;
                try
                {
                    var challenge = await client.GetHostRenewalChallengeAsync(current, cancellationToken);
                    string signature;
                    using (var key = files.ReadPrivateKey(current.PublicKey))
                    {
                        signature = SshSigSigner.Sign(key, challenge.Challenge, BeaconClient.HostRenewSignatureNamespace).ToArmored();
                    }
                    result = await client.RenewHostAsync(current, challenge, signature, cancellationToken);
                }
                catch (BeaconApiException e)
                {
                    var hint = left <= TimeSpan.Zero ? " (the certificate has expired: enroll again with a new token)" : "";
                    throw new HostException($"{files.CertificateFile}: renewal refused: {e.Message}{hint}", e);
                }
                var certificate = result.Certificates[0];
                files.WriteCertificate(certificate.Certificate);
                groups = result.Groups;
                renewed++;
                console.Out.WriteLine($"{files.CertificateFile}: renewed, valid until {certificate.ValidBefore:yyyy-MM-dd HH:mm:ss}Z");
            }
            if (groups is not null)
            {
                config = config with { Groups = Bootstrap.BootstrapCommand.Validated(groups, "group") };
                config.Save(paths);
            }
            if (renewed > 0)
            {
                HostCertificateReload.Run(paths, config, console.Out.WriteLine);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string Format(TimeSpan left) =>
        left <= TimeSpan.Zero ? "expired" : left.TotalDays >= 1 ? $"{left.TotalDays:0.#}d" : left.TotalHours >= 1 ? $"{left.TotalHours:0.#}h" : $"{Math.Max(0, left.TotalMinutes):0}m";
}
