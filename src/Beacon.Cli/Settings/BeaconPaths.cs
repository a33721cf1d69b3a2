namespace Beacon.Cli.Settings;

/// <summary>
/// Where beacon keeps its files: BEACON_CONFIG_DIR, else $XDG_CONFIG_HOME/beacon, else ~/.config/beacon.
/// The user's key, its certificate, the config and the stored tokens all live there (the key beside its
/// certificate, as ssh-add expects: id_ed25519 and id_ed25519-cert.pub).
/// </summary>
internal sealed class BeaconPaths(string directory, string home)
{
    public string Directory { get; } = directory;

    public string Home { get; } = home;

    public string ConfigFile => Path.Combine(Directory, "config.json");

    public string TokenFile => Path.Combine(Directory, "tokens.json");

    public string KeyFile => Path.Combine(Directory, "id_ed25519");

    public string PublicKeyFile => KeyFile + ".pub";

    public string CertificateFile => KeyFile + "-cert.pub";

    /// <summary>The user's OpenSSH known_hosts, where `beacon trust` writes.</summary>
    public string KnownHostsFile => Path.Combine(Home, ".ssh", "known_hosts");

    /// <exception cref="CliException">No directory can be derived (no HOME and no override).</exception>
    public static BeaconPaths From(CliConsole console)
    {
        var home = console.Variable("HOME") ?? "";
        string directory;
        if (console.Variable("BEACON_CONFIG_DIR") is { } explicitDirectory)
        {
            directory = explicitDirectory;
        }
        else if (console.Variable("XDG_CONFIG_HOME") is { } xdg && Path.IsPathRooted(xdg))
        {
            // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
            directory = Path.Combine(xdg, "beacon");
        }
        else if (home.Length > 0)
        {
            directory = Path.Combine(home, ".config", "beacon");
        }
        else
        {
            throw new CliException("cannot tell where to keep beacon's files: HOME is not set (set BEACON_CONFIG_DIR)");
        }
        return new BeaconPaths(Path.GetFullPath(directory), home);
    }

    /// <summary>Creates the directory with mode 0700 (it holds the key and the tokens), tightening an existing one.</summary>
    public void EnsureDirectory() => PrivateFiles.EnsureDirectory(Directory);
}
