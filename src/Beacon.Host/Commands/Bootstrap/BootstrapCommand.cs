using System.CommandLine;
using Beacon.Client;
using Beacon.CommandLine;
using Beacon.Host.Files;
using Beacon.Host.Trust;
using Beacon.Trust.Bundle;

namespace Beacon.Host.Commands.Bootstrap;

/// <summary>
/// beacon-host bootstrap: pins the server's TLS certificate by fingerprint and the bundle-signing key
/// from a file given at provisioning, and writes config.json. Nothing is fetched: there is no trust on
/// first use to get wrong.
/// </summary>
internal static class BootstrapCommand
{
    public static Command Create(HostConsole console)
    {
        var root = HostOptions.Root();
        var server = new Option<Uri>("--server")
        {
            Description = "The server's base URL (https://…)",
            Required = true,
            CustomParser = CommandLineRunner.Parser(text => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
                ? uri : throw new FormatException($"--server: \"{text}\" is not an https:// URL")),
        };
        var fingerprint = new Option<string>("--fingerprint")
        {
            Description = "SHA-256 of the server's TLS certificate as beacon-server init printed it (64 hex digits, colons allowed)",
            Required = true,
            CustomParser = CommandLineRunner.Parser(text =>
            {
                try
                {
                    return PinnedTls.Normalize(text);
                }
                catch (ArgumentException e)
                {
                    throw new FormatException($"--fingerprint: {e.Message.Split(" (Parameter", 2)[0]}");
                }
            }),
        };
        var bundleKey = new Option<string>("--bundle-key")
        {
            Description = "The bundle-signing OpenPGP public key file (the server's bundle-key.asc, or the operator's key in offline mode); copied to etc/beacon-host/bundle-key.asc",
            Required = true,
        };
        var groups = HostOptions.List("--groups", "This host's groups, for a host that syncs without enrolling (enrollment sets them from the token)");
        var names = HostOptions.List("--names", "The names to enroll as host certificate principals (default: the host name)");
        var sshd = new Option<string>("--sshd") { Description = "The sshd program", DefaultValueFactory = _ => HostConfig.DefaultSshd };
        var sshdConfig = new Option<string?>("--sshd-config") { Description = "The sshd_config that sshd -t checks (default: ROOT/etc/ssh/sshd_config)" };
        var reload = new Option<string>("--reload-command")
        {
            Description = "Shell command that makes sshd reload its configuration",
            DefaultValueFactory = _ => HostConfig.DefaultReloadCommand,
        };
        var command = new Command("bootstrap", "Pin the server (TLS fingerprint) and the bundle-signing key, and write etc/beacon-host/config.json")
        {
            root, server, fingerprint, bundleKey, groups, names, sshd, sshdConfig, reload,
        };
        command.SetHostAction((parse, _) =>
        {
            var paths = HostOptions.Paths(parse, root);
            var groupList = Validated(parse.GetValue(groups) ?? [], "group");
            var nameList = (parse.GetValue(names) ?? []).ToList();
            var keyFile = parse.GetValue(bundleKey)!;
            var keyBytes = AtomicFile.ReadBounded(keyFile, PinnedBundleKey.MaxKeyFileBytes) ?? throw new HostException($"{keyFile}: missing");
            // The pinned key must be a key, now: a typo found at the first sync would leave the host without trust.
            var key = PinnedBundleKey.Parse(keyBytes, keyFile);
            var existing = HostJson.Read<HostConfig>(paths.ConfigFile);
            var config = new HostConfig
            {
                Server = parse.GetValue(server)!.ToString(),
                TlsFingerprint = parse.GetValue(fingerprint)!,
                Groups = groupList.Count > 0 ? groupList : existing?.Groups ?? [],
                Names = nameList.Count > 0 ? nameList : existing?.Names ?? [],
                HostKeys = existing?.HostKeys ?? [],
                HostId = existing?.HostId,
                Sshd = parse.GetValue(sshd)!,
                SshdConfig = parse.GetValue(sshdConfig) ?? paths.DefaultSshdConfig,
                ReloadCommand = parse.GetValue(reload)!,
            };
            AtomicFile.Write(paths.BundleKeyFile, keyBytes, FileModes.Public);
            config.Save(paths);
            console.Out.WriteLine($"pinned {config.Server} (TLS SHA-256 {config.TlsFingerprint})");
            console.Out.WriteLine($"pinned bundle key {key.Fingerprint} in {paths.BundleKeyFile}");
            console.Out.WriteLine($"wrote {paths.ConfigFile}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    internal static List<string> Validated(IEnumerable<string> values, string what)
    {
        var list = values.Distinct(StringComparer.Ordinal).ToList();
        if (list.FirstOrDefault(v => !TrustBundleDocument.IsValidName(v)) is { } bad)
        {
            throw new HostException($"\"{bad}\" is not a valid {what} name (letters, digits, '.', '_', '-')");
        }
        return list;
    }
}
