using Beacon.CommandLine;
using System.CommandLine;
using System.Security.Cryptography;
using Beacon.Server.Ca;
using Beacon.Server.Cli;
using Beacon.Ssh.Trust;

namespace Beacon.Server.Commands.Ca.Init;

/// <summary>beacon-server ca init: creates the offline user CA and host CA.</summary>
internal static class CaInitCommand
{
    public static Command Create(CliConsole console)
    {
        var directory = CaOptions.Directory();
        var passwordFile = CaOptions.PasswordFile();
        var type = new Option<string>("--type")
        {
            Description = "The CA key type: ed25519 (default), ecdsa (P-384; P-256 with --bits 256) or rsa (3072 bits unless --bits; signs rsa-sha2-512).",
            DefaultValueFactory = _ => "ed25519",
            HelpName = "ed25519|ecdsa|rsa",
        };
        var bits = new Option<int?>("--bits")
        {
            Description = "The key size: 256 or 384 for ecdsa, 3072 to 8192 for rsa.",
            HelpName = "N",
        };
        var command = new Command("init", "Create a user CA and a host CA in DIR: public keys user_ca.pub and host_ca.pub, " +
            "private keys encrypted with the password (PBKDF2-SHA256, AES-256-GCM) as user_ca.key.enc and host_ca.key.enc. " +
            "The directory is made mode 0700 and the private key files 0600; existing CA files are never overwritten.")
        {
            directory,
            passwordFile,
            type,
            bits,
        };
        command.Validators.Add(result =>
        {
            try
            {
                // Defaults are not applied yet while validating; an absent --type means ed25519.
                CaKeySpec.Parse(result.GetValue(type) ?? "ed25519", result.GetValue(bits));
            }
            catch (FormatException e)
            {
                result.AddError(e.Message);
            }
        });
        command.SetAction(parse => CommandRunner.Guard(BeaconServerCli.Name, console, () => Execute(
            new OfflineCaDirectory(parse.GetRequiredValue(directory)),
            parse.GetRequiredValue(passwordFile),
            CaKeySpec.Parse(parse.GetRequiredValue(type), parse.GetValue(bits)),
            console)));
        return command;
    }

    private static int Execute(OfflineCaDirectory directory, string passwordFile, CaKeySpec spec, CliConsole console)
    {
        var password = PasswordFile.Read(passwordFile);
        try
        {
            var (user, host) = directory.Initialize(spec, password);
            var output = console.Out;
            output.WriteLine($"Created the offline CA in {directory.Path}:");
            output.WriteLine($"  user CA  {user.KeyType} {user.Fingerprint}  {directory.PublicKeyPath(CaKind.User)}");
            output.WriteLine($"  host CA  {host.KeyType} {host.Fingerprint}  {directory.PublicKeyPath(CaKind.Host)}");
            output.WriteLine("For sshd on each host (sshd_config), a copy of user_ca.pub:  TrustedUserCAKeys /etc/ssh/beacon_user_ca.pub");
            output.WriteLine("For ssh clients (known_hosts), narrow * to your host names:");
            output.WriteLine(new KnownHostsCertAuthority(["*"], host, "beacon host CA").ToLine());
            return ExitCodes.Ok;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }
}
