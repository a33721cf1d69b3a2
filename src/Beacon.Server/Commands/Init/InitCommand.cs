using Beacon.Server.Cli;
using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Server.Ca;
using Beacon.Server.Hosting;
using Beacon.Server.Policy;
using Beacon.Server.Revocation;
using Beacon.Server.Signing;
using Beacon.Server.Trust;

namespace Beacon.Server.Commands.Init;

/// <summary>
/// `beacon-server init`: a working data directory: user and host CAs encrypted at rest, a self-signed TLS
/// certificate whose fingerprint clients pin, secrets, the SQLite database and a config with defaults.
/// </summary>
public static class InitCommand
{
    public static Command Create()
    {
        var dataDir = CommandRunner.DataDirOption();
        var passwordFile = new Option<string?>("--password-file") { Description = "File whose first line encrypts the CA keys (default: a random one in DATA/secrets)" };
        var hostName = new Option<string[]>("--host-name") { Description = "Extra DNS names or addresses for the TLS certificate", AllowMultipleArgumentsPerToken = true };
        var command = new Command("init", "Create a data directory: CA keys, the revocation and bundle-signing keys, TLS certificate, database and config") { dataDir, passwordFile, hostName };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            var result = await RunAsync(new DataDirectory(parse.GetValue(dataDir)!), parse.GetValue(passwordFile), parse.GetValue(hostName) ?? [], cancellationToken);
            await output.WriteLineAsync($"initialised {result.Data.Root}");
            await output.WriteLineAsync($"user CA:  {result.UserCa}");
            await output.WriteLineAsync($"host CA:  {result.HostCa}");
            await output.WriteLineAsync($"revocation key (signs the KRL): {result.RevocationKey}");
            await output.WriteLineAsync($"bundle-signing key (OpenPGP; copy {BundleSigningKeyFiles.PublicKeyPath(result.Data)} to every host): {result.BundleKey}");
            await output.WriteLineAsync($"TLS certificate SHA-256 fingerprint (clients pin this): {result.TlsFingerprint}");
            return 0;
        });
        return command;
    }

    public sealed record InitResult(DataDirectory Data, string TlsFingerprint, string UserCa, string HostCa, string RevocationKey, string BundleKey);

    /// <exception cref="CommandException">Already initialised, or the password file is unusable.</exception>
    public static async Task<InitResult> RunAsync(DataDirectory data, string? passwordFile, IEnumerable<string> hostNames, CancellationToken cancellationToken)
    {
        if (data.IsInitialised || Directory.Exists(data.CaDirectory))
        {
            throw new CommandException($"{data.Root} is already initialised; refusing to overwrite its keys");
        }
        DataDirectory.CreatePrivateDirectory(data.Root);
        DataDirectory.CreatePrivateDirectory(data.SecretsDirectory);
        DataDirectory.CreatePrivateDirectory(Path.GetDirectoryName(data.TlsKey)!);

        if (passwordFile is null)
        {
            // No operator password: a random one in a 0600 file, so the keys are still never stored in the clear.
            var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            DataDirectory.WritePrivateFile(data.DefaultPasswordFile, System.Text.Encoding.UTF8.GetBytes(generated + "\n"));
            passwordFile = data.DefaultPasswordFile;
        }
        var password = PasswordFile.Read(passwordFile);
        CaKeyRing cas;
        string revocationFingerprint;
        string bundleKeyFingerprint;
        try
        {
            new OfflineCaDirectory(data.CaDirectory).Initialize(CaKeySpec.Default, password);
            cas = CaKeyRing.Load(data.CaDirectory, password);
            using var revocation = RevocationKeyFiles.Create(data.CaDirectory, password);
            revocationFingerprint = revocation.PublicKey.Fingerprint;
            using var bundleKey = BundleSigningKeyFiles.Create(data, password, TimeProvider.System.GetUtcNow());
            bundleKeyFingerprint = bundleKey.PublicKey.Fingerprint;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
        using var _ = cas;

        DataDirectory.WritePrivateFile(data.TokenHmacKey, RandomNumberGenerator.GetBytes(32));
        var (certificatePem, keyPem, fingerprint) = TlsCertificateFactory.Create([Environment.MachineName, .. hostNames], TimeProvider.System);
        DataDirectory.WritePrivateFile(data.TlsKey, System.Text.Encoding.ASCII.GetBytes(keyPem));
        await File.WriteAllTextAsync(data.TlsCertificate, certificatePem, cancellationToken);

        await File.WriteAllTextAsync(data.ConfigFile, DefaultConfig(data, Path.GetFullPath(passwordFile)), cancellationToken);
        File.SetUnixFileMode(data.ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        using var trust = await LocalTrustContext.OpenAsync(data.Root, cancellationToken);
        var context = trust.Server;
        await new PolicySource(context.Store, TimeProvider.System).SeedFromConfigurationAsync(context.Options.Policy, cancellationToken);
        await context.Store.AppendAuditAsync(context.Audit("server.init", data.Root, new()
        {
            ["user_ca"] = cas.UserCa.PublicKey.Fingerprint,
            ["host_ca"] = cas.HostCa.PublicKey.Fingerprint,
            ["revocation_key"] = revocationFingerprint,
            ["bundle_key"] = bundleKeyFingerprint,
            ["tls_fingerprint"] = fingerprint,
        }), cancellationToken);
        // The first trust bundle, so hosts can be provisioned before the server first starts.
        await trust.Publisher.PublishIfChangedAsync(LocalServerContext.Actor, "init", cancellationToken);
        return new InitResult(data, fingerprint, cas.UserCa.PublicKey.Fingerprint, cas.HostCa.PublicKey.Fingerprint, revocationFingerprint, bundleKeyFingerprint);
    }

    /// <summary>A config that works as it is: SQLite, the one-time token provider and a policy for it, a JSON-lines audit file.</summary>
    private static string DefaultConfig(DataDirectory data, string passwordFile)
    {
        var config = new JsonObject
        {
            ["Beacon"] = new JsonObject
            {
                ["PasswordFile"] = passwordFile,
                ["Database"] = new JsonObject { ["Provider"] = "sqlite" },
                ["Audit"] = new JsonObject { ["JsonLinesPath"] = data.AuditLog },
                ["Providers"] = new JsonObject { ["token"] = new JsonObject { ["Type"] = "token" } },
                ["Policy"] = new JsonObject
                {
                    ["Policies"] = new JsonArray(new JsonObject
                    {
                        ["Name"] = "one-time-tokens",
                        ["Subjects"] = new JsonArray(new JsonObject { ["Provider"] = "token" }),
                        ["Principals"] = new JsonArray("*"),
                        ["DefaultTtl"] = "15m",
                        ["MaxTtl"] = "1h",
                    }),
                },
            },
        };
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
