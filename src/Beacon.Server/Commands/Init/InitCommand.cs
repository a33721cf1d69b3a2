using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Server.Audit;
using Beacon.Server.Hosting;
using Beacon.Server.Policy;
using Beacon.Server.Signing;
using Beacon.Ssh.Keys;

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
        var command = new Command("init", "Create a data directory: CA keys, TLS certificate, database and config") { dataDir, passwordFile, hostName };
        command.SetHandler(async (parse, output, cancellationToken) =>
        {
            var result = await RunAsync(new DataDirectory(parse.GetValue(dataDir)!), parse.GetValue(passwordFile), parse.GetValue(hostName) ?? [], cancellationToken);
            await output.WriteLineAsync($"initialised {result.Data.Root}");
            await output.WriteLineAsync($"user CA:  {result.UserCa}");
            await output.WriteLineAsync($"host CA:  {result.HostCa}");
            await output.WriteLineAsync($"TLS certificate SHA-256 fingerprint (clients pin this): {result.TlsFingerprint}");
            return 0;
        });
        return command;
    }

    public sealed record InitResult(DataDirectory Data, string TlsFingerprint, string UserCa, string HostCa);

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

        string password;
        if (passwordFile is not null)
        {
            password = PasswordFile.Read(passwordFile);
        }
        else
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            DataDirectory.WritePrivateFile(data.DefaultPasswordFile, System.Text.Encoding.UTF8.GetBytes(password + "\n"));
            passwordFile = data.DefaultPasswordFile;
        }
        CaFiles.Create(data.CaDirectory, password, SshKeyAlgorithm.Ed25519);
        using var cas = CaFiles.Load(data.CaDirectory, password);

        DataDirectory.WritePrivateFile(data.TokenHmacKey, RandomNumberGenerator.GetBytes(32));
        var (certificatePem, keyPem, fingerprint) = TlsCertificateFactory.Create([Environment.MachineName, .. hostNames], TimeProvider.System);
        DataDirectory.WritePrivateFile(data.TlsKey, System.Text.Encoding.ASCII.GetBytes(keyPem));
        await File.WriteAllTextAsync(data.TlsCertificate, certificatePem, cancellationToken);

        await File.WriteAllTextAsync(data.ConfigFile, DefaultConfig(data, Path.GetFullPath(passwordFile)), cancellationToken);
        File.SetUnixFileMode(data.ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        using var context = await LocalServerContext.OpenAsync(data.Root, cancellationToken);
        await new PolicySource(context.Store, TimeProvider.System).SeedFromConfigurationAsync(context.Options.Policy, cancellationToken);
        await context.Store.AppendAuditAsync(context.Audit("server.init", data.Root, new()
        {
            ["user_ca"] = cas.UserCa.PublicKey.Fingerprint,
            ["host_ca"] = cas.HostCa.PublicKey.Fingerprint,
            ["tls_fingerprint"] = fingerprint,
        }), cancellationToken);
        return new InitResult(data, fingerprint, cas.UserCa.PublicKey.Fingerprint, cas.HostCa.PublicKey.Fingerprint);
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

/// <summary>Password files: the first line, trailing newline stripped; empty is refused.</summary>
public static class PasswordFile
{
    /// <exception cref="CommandException">Missing, unreadable or empty.</exception>
    public static string Read(string path)
    {
        try
        {
            var password = File.ReadLines(path).FirstOrDefault()?.TrimEnd('\r') ?? "";
            return password.Length > 0 ? password : throw new CommandException($"password file {path} is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandException($"cannot read password file {path}: {e.Message}");
        }
    }
}
