using Beacon.Cli.Processes;
using Beacon.Cli.Settings;
using Beacon.Ssh;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;

namespace Beacon.Cli.Keys;

/// <summary>
/// The user's persistent Ed25519 key (CONFIG/id_ed25519), made by ssh-keygen and always encrypted with a
/// passphrase; beacon itself only ever reads its public half.
/// </summary>
internal static class UserKey
{
    /// <summary>The public key, making the key pair first when there is none.</summary>
    /// <param name="passphrase">Asked for only when a key has to be made.</param>
    /// <exception cref="CliException">ssh-keygen failed, or the existing key is unusable or unencrypted.</exception>
    public static SshPublicKey Ensure(BeaconPaths paths, CliConsole console, Func<string> passphrase)
    {
        if (!File.Exists(paths.KeyFile))
        {
            Create(paths, console, passphrase());
        }
        return Read(paths);
    }

    /// <summary>The key's public half, from the private key file's clear envelope; refuses a key stored in the clear.</summary>
    /// <exception cref="CliException">Missing, malformed or unencrypted.</exception>
    public static SshPublicKey Read(BeaconPaths paths)
    {
        var text = PrivateFiles.ReadIfExists(paths.KeyFile) ?? throw new CliException($"no key at {paths.KeyFile}: run `beacon login`");
        try
        {
            var envelope = OpenSshPrivateKeyFile.ReadEnvelope(text);
            if (!envelope.IsEncrypted)
            {
                throw new CliException($"{paths.KeyFile} is not encrypted; beacon keeps keys encrypted at rest (remove it and run `beacon login` to make a new one)");
            }
            return envelope.PublicKey;
        }
        catch (SshFormatException e)
        {
            throw new CliException($"{paths.KeyFile}: {e.Message}");
        }
    }

    private static void Create(BeaconPaths paths, CliConsole console, string passphrase)
    {
        paths.EnsureDirectory();
        var keygen = OpenSshTools.Require("ssh-keygen", console);
        var comment = $"beacon@{Environment.MachineName}";
        var result = ChildProcess.Run(keygen, ["-q", "-t", "ed25519", "-N", passphrase, "-C", comment, "-f", paths.KeyFile]);
        if (result.ExitCode != 0)
        {
            PrivateFiles.TryDelete(paths.KeyFile);
            PrivateFiles.TryDelete(paths.PublicKeyFile);
            throw new CliException($"ssh-keygen could not make a key: {result.Reason}");
        }
        console.Out.WriteLine($"Made a new Ed25519 key {paths.KeyFile} (encrypted with your passphrase).");
    }
}
