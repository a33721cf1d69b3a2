using System.Text;

namespace Beacon.Testing;

/// <summary>
/// A throwaway GnuPG home (GNUPGHOME in a private temp directory) driven in batch mode with loopback
/// pinentry and an empty passphrase, so tests can make keys and signatures with the real gpg and ask it
/// to judge ours. Dispose stops its gpg-agent and removes the directory.
/// </summary>
public sealed class GpgHome : IDisposable
{
    public const string Gpg = "/usr/bin/gpg";
    public const string GpgConf = "/usr/bin/gpgconf";

    private readonly TempDirectory _directory;
    private int _fileCounter;

    public GpgHome()
    {
        // Short prefix: gpg-agent's socket path must stay under the 108-byte sun_path limit.
        _directory = new TempDirectory("bgpg-");
        Home = _directory.Path;
    }

    public string Home { get; }

    /// <summary>The missing programs, or null when gpg is installed.</summary>
    public static string? MissingTools() => File.Exists(Gpg) && File.Exists(GpgConf) ? null : Gpg;

    /// <summary>Runs gpg in this home in batch mode; throws unless <paramref name="check"/> is false.</summary>
    public ProcessResult Run(IEnumerable<string> arguments, string? stdin = null, bool check = true)
    {
        var all = new List<string> { "--homedir", Home, "--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "" };
        all.AddRange(arguments);
        var result = OpenSsh.Run(Gpg, all, stdin, TimeSpan.FromSeconds(60),
            new Dictionary<string, string?> { ["GNUPGHOME"] = Home, ["LC_ALL"] = "C" });
        if (check && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"gpg {string.Join(' ', arguments)} failed: {result}");
        }
        return result;
    }

    /// <summary>
    /// Makes a key with no expiry and returns its fingerprint. <paramref name="algorithm"/> is what
    /// --quick-gen-key takes: "ed25519", "rsa3072", or "default".
    /// </summary>
    public string GenerateKey(string userId, string algorithm = "ed25519")
    {
        var usage = algorithm == "default" ? "default" : "sign,cert";
        Run(["--quick-gen-key", userId, algorithm, usage, "never"]);
        return FingerprintOf(userId);
    }

    /// <summary>Adds a signing subkey (e.g. "ed25519") to the key and returns the subkey's fingerprint.</summary>
    public string AddSigningSubkey(string primaryFingerprint, string algorithm = "ed25519")
    {
        var before = SubkeyFingerprints(primaryFingerprint);
        Run(["--quick-add-key", primaryFingerprint, algorithm, "sign", "never"]);
        return SubkeyFingerprints(primaryFingerprint).Except(before).Single();
    }

    /// <summary>The primary key fingerprint of the one key matching <paramref name="userIdOrFingerprint"/>.</summary>
    public string FingerprintOf(string userIdOrFingerprint) => Fingerprints(userIdOrFingerprint)[0];

    /// <summary>The fingerprints of the subkeys (not the primary) of a key.</summary>
    public IReadOnlyList<string> SubkeyFingerprints(string primaryFingerprint) => Fingerprints(primaryFingerprint).Skip(1).ToList();

    private List<string> Fingerprints(string query)
    {
        var listing = Run(["--with-colons", "--fingerprint", "--fingerprint", "--list-keys", query]).StandardOutput;
        return listing.Split('\n')
            .Where(line => line.StartsWith("fpr:", StringComparison.Ordinal))
            .Select(line => line.Split(':')[9])
            .ToList();
    }

    /// <summary>The armored transferable public key.</summary>
    public string ExportArmored(string fingerprint) => Run(["--armor", "--export", fingerprint]).StandardOutput;

    /// <summary>
    /// An armored binary-mode detached signature over the file. <paramref name="signer"/> is a fingerprint;
    /// add "!" to force that exact (sub)key. <paramref name="digestAlgorithm"/> is gpg's name (SHA256, SHA1, …).
    /// </summary>
    public string SignDetachedArmored(string signer, string file, string? digestAlgorithm = null)
    {
        var output = NewFile("sig.asc");
        var arguments = new List<string> { "--local-user", signer, "--armor", "--detach-sign", "--output", output };
        if (digestAlgorithm is not null)
        {
            arguments.AddRange(["--digest-algo", digestAlgorithm]);
        }
        arguments.Add(file);
        Run(arguments);
        return File.ReadAllText(output);
    }

    /// <summary>Imports armored or binary key material; returns gpg's result.</summary>
    public ProcessResult Import(string armored) => Run(["--import"], stdin: armored, check: false);

    /// <summary>Imports the key and marks it ultimately trusted, so --verify reports TRUST_ULTIMATE.</summary>
    public ProcessResult ImportTrusted(string armored, string fingerprint)
    {
        var result = Import(armored);
        Run(["--import-ownertrust"], stdin: $"{fingerprint}:6:\n", check: false);
        return result;
    }

    /// <summary>Runs gpg --verify; returns the exit code and the --status-fd lines (without the "[GNUPG:] " prefix).</summary>
    public GpgVerifyResult Verify(string signatureFile, string dataFile)
    {
        var result = Run(["--status-fd", "1", "--verify", signatureFile, dataFile], check: false);
        var status = result.StandardOutput.Split('\n')
            .Where(line => line.StartsWith("[GNUPG:] ", StringComparison.Ordinal))
            .Select(line => line["[GNUPG:] ".Length..].TrimEnd('\r'))
            .ToList();
        return new GpgVerifyResult(result.ExitCode, status, result.StandardError);
    }

    /// <summary>Writes a file in this home's directory and returns its path.</summary>
    public string WriteFile(string name, ReadOnlySpan<byte> content)
    {
        var path = NewFile(name);
        File.WriteAllBytes(path, content.ToArray());
        return path;
    }

    public string WriteFile(string name, string content) => WriteFile(name, Encoding.UTF8.GetBytes(content));

    private string NewFile(string name) => _directory.File($"{Interlocked.Increment(ref _fileCounter)}-{name}");

    public void Dispose()
    {
        try
        {
            OpenSsh.Run(GpgConf, ["--homedir", Home, "--kill", "all"], timeout: TimeSpan.FromSeconds(10),
                environment: new Dictionary<string, string?> { ["GNUPGHOME"] = Home });
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
        _directory.Dispose();
    }
}

/// <summary>What gpg --verify said: its exit code and its status lines ("GOODSIG …", "VALIDSIG …", "BADSIG …").</summary>
public sealed record GpgVerifyResult(int ExitCode, IReadOnlyList<string> Status, string StandardError)
{
    public bool Has(string keyword) => Status.Any(line => line == keyword || line.StartsWith(keyword + " ", StringComparison.Ordinal));

    /// <summary>The fingerprint VALIDSIG names (of the key that signed), or null.</summary>
    public string? ValidSigFingerprint => Status.FirstOrDefault(line => line.StartsWith("VALIDSIG ", StringComparison.Ordinal))?.Split(' ')[1];

    /// <summary>The primary key fingerprint VALIDSIG names (its last field), or null.</summary>
    public string? ValidSigPrimaryFingerprint => Status.FirstOrDefault(line => line.StartsWith("VALIDSIG ", StringComparison.Ordinal))?.Split(' ')[^1];

    public override string ToString() => $"exit {ExitCode}\n{string.Join('\n', Status)}\nstderr: {StandardError}";
}
