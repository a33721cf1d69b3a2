using Beacon.Ssh.Certificates;
using Beacon.Testing;

namespace Beacon.Server.Tests.Commands;

public sealed class CaSignCommandTests(CaDirectories cas) : IClassFixture<CaDirectories>
{
    private static readonly string[] DefaultExtensions =
        ["permit-X11-forwarding", "permit-agent-forwarding", "permit-port-forwarding", "permit-pty", "permit-user-rc"];

    [RequiresOpenSshTheory]
    [InlineData("ed25519", "ED25519", "ssh-ed25519")]
    [InlineData("ecdsa", "ECDSA", "ecdsa-sha2-nistp384")]
    [InlineData("rsa", "RSA", "rsa-sha2-512")]
    public void UserCertificateIsPrintedBySshKeygenWithEveryField(string caType, string caFamily, string signatureAlgorithm)
    {
        using var dir = new TempDirectory();
        var key = NewSubjectKey(dir, "ed25519");

        var result = Sign(caType, "--user", "--public-key", key + ".pub", "--identity", "alice@example.com break-glass",
            "--principals", "alice,deploy", "--validity", "15m", "--serial", "12345",
            "--critical", "force-command=/usr/bin/uptime", "--critical", "source-address=10.0.0.0/8,::1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.Contains($"Signed user certificate {key}-cert.pub: id \"alice@example.com break-glass\" serial 12345 for alice,deploy", result.Out);
        var fields = KeygenL(key + "-cert.pub");
        Assert.Equal("ssh-ed25519-cert-v01@openssh.com user certificate", fields["Type"]);
        Assert.Equal($"{caFamily} {CaFingerprint(caType, "user")} (using {signatureAlgorithm})", fields["Signing CA"]);
        Assert.Equal("\"alice@example.com break-glass\"", fields["Key ID"]);
        Assert.Equal("12345", fields["Serial"]);
        // The fixed clock is 05:06:07; valid-after is back-dated one minute.
        Assert.Equal("from 2026-03-04T05:05:07 to 2026-03-04T05:21:07", fields["Valid"]);
        Assert.Equal("alice,deploy", fields["Principals"]);
        Assert.Equal("force-command /usr/bin/uptime,source-address 10.0.0.0/8,::1", fields["Critical Options"]);
        Assert.Equal(string.Join(',', DefaultExtensions), fields["Extensions"]);
    }

    [RequiresOpenSshTheory]
    [InlineData("ed25519")]
    [InlineData("ecdsa")]
    [InlineData("rsa")]
    public void HostCertificateHasNoExtensionsAndIsSignedByTheHostCa(string caType)
    {
        using var dir = new TempDirectory();
        var key = NewSubjectKey(dir, "ecdsa");

        var result = Sign(caType, "--host", "--public-key", key + ".pub", "--identity", "web-1", "--principals", "web-1.example.com,10.0.0.5", "--validity", "30d");

        Assert.True(result.ExitCode == 0, result.ToString());
        var fields = KeygenL(key + "-cert.pub");
        Assert.Equal("ecdsa-sha2-nistp256-cert-v01@openssh.com host certificate", fields["Type"]);
        Assert.Contains(CaFingerprint(caType, "host"), fields["Signing CA"]);
        Assert.Equal("web-1.example.com,10.0.0.5", fields["Principals"]);
        Assert.Equal("from 2026-03-04T05:05:07 to 2026-04-03T05:06:07", fields["Valid"]);
        Assert.Equal("", fields["Critical Options"]);
        Assert.Equal("", fields["Extensions"]);
    }

    [RequiresOpenSshFact]
    public void ExtensionsGivenReplaceTheDefaults()
    {
        using var dir = new TempDirectory();
        var key = NewSubjectKey(dir, "rsa");

        var some = Sign("ed25519", "--user", "--public-key", key + ".pub", "--identity", "ci", "--principals", "ci", "--validity", "10m",
            "--extension", "permit-pty", "--extension", "permit-agent-forwarding", "--out", dir.File("some-cert.pub"));
        var none = Sign("ed25519", "--user", "--public-key", key + ".pub", "--identity", "ci", "--principals", "ci", "--validity", "10m",
            "--no-extensions", "--out", dir.File("none-cert.pub"));

        Assert.True(some.ExitCode == 0 && none.ExitCode == 0, some + "\n" + none);
        Assert.Equal("permit-agent-forwarding,permit-pty", KeygenL(dir.File("some-cert.pub"))["Extensions"]);
        Assert.Equal("", KeygenL(dir.File("none-cert.pub"))["Extensions"]);
    }

    [Fact]
    public void SerialIsRandomWhenNotGivenAndTheOutputIsReplaced()
    {
        using var dir = new TempDirectory();
        var key = NewSubjectKey(dir, "ed25519");
        string[] args = ["--user", "--public-key", key + ".pub", "--identity", "x", "--principals", "x", "--validity", "1m"];

        Assert.Equal(0, Sign("ed25519", args).ExitCode);
        var first = SshCertificateParser.ParseLine(File.ReadAllText(key + "-cert.pub"));
        Assert.Equal(0, Sign("ed25519", args).ExitCode);
        var second = SshCertificateParser.ParseLine(File.ReadAllText(key + "-cert.pub"));

        Assert.NotEqual(0UL, first.Serial);
        Assert.NotEqual(first.Serial, second.Serial);
        Assert.True(second.VerifySignature());
    }

    [Fact]
    public void CertificateKeepsTheKeyCommentAndIsWorldReadable()
    {
        using var dir = new TempDirectory();
        var key = NewSubjectKey(dir, "ed25519");

        Assert.Equal(0, Sign("ed25519", "--user", "--public-key", key + ".pub", "--identity", "x", "--principals", "x", "--validity", "1m").ExitCode);

        Assert.EndsWith(" me@laptop\n", File.ReadAllText(key + "-cert.pub"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(key + "-cert.pub"));
    }

    public static TheoryData<string, int, string[]> BadRequests() => new()
    {
        { "a wrong password", 1, ["--user", "--password-file", "WRONG", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "an empty password file", 1, ["--user", "--password-file", "EMPTY", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "a missing password file", 1, ["--user", "--password-file", "/nonexistent/pw", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "a missing CA", 1, ["--dir", "/nonexistent/ca", "--user", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "a missing key file", 1, ["--user", "--public-key", "/nonexistent/key.pub", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "a garbage key file", 1, ["--user", "--public-key", "GARBAGE", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "a DSA key", 1, ["--user", "--public-key", "DSA", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "a 1024-bit RSA key", 1, ["--user", "--public-key", "RSA1024", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "a certificate as the key", 1, ["--user", "--public-key", "CERT", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "the user CA's own key", 1, ["--user", "--public-key", "USERCA", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "the host CA's key for a user certificate", 1, ["--user", "--public-key", "HOSTCA", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "empty principals", 2, ["--user", "--public-key", "KEY.pub", "--identity", "x", "--principals", "", "--validity", "1m"] },
        { "an empty principal", 2, ["--user", "--public-key", "KEY.pub", "--identity", "x", "--principals", "a,,b", "--validity", "1m"] },
        { "no principals option", 2, ["--user", "--public-key", "KEY.pub", "--identity", "x", "--validity", "1m"] },
        { "an empty identity", 2, ["--user", "--public-key", "KEY.pub", "--identity", "", "--principals", "x", "--validity", "1m"] },
        { "a malformed validity", 2, ["--user", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "15x"] },
        { "a validity beyond the maximum", 2, ["--user", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "400d"] },
        { "serial zero", 2, ["--user", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m", "--serial", "0"] },
        { "a negative serial", 2, ["--user", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m", "--serial", "-1"] },
        { "an unknown critical option", 2, ["--user", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m", "--critical", "no-such=1"] },
        { "a bad source-address", 2, ["--user", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m", "--critical", "source-address=10.0.0.0/33"] },
        { "an unknown extension", 2, ["--user", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m", "--extension", "permit-root"] },
        { "both --user and --host", 2, ["--user", "--host", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "neither --user nor --host", 2, ["--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m"] },
        { "a critical option on a host certificate", 2, ["--host", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m", "--critical", "force-command=ls"] },
        { "an output in a missing directory", 1, ["--user", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m", "--out", "/nonexistent/dir/cert.pub"] },
        { "an unknown option", 2, ["--user", "--public-key", "KEY.pub", "--identity", "x", "--principals", "x", "--validity", "1m", "--bogus"] },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void BadRequestGetsOneLineAndNoCertificate(string description, int exitCode, string[] args)
    {
        using var dir = new TempDirectory();
        var caDir = cas.For("ed25519");
        var key = NewSubjectKey(dir, "ed25519");
        var files = new Dictionary<string, string>
        {
            ["KEY.pub"] = key + ".pub",
            ["WRONG"] = cas.WrongPasswordFile,
            ["EMPTY"] = dir.WritePrivate("empty-password", "\n"),
            ["GARBAGE"] = dir.Write("garbage.pub", "this is not a key\n"),
            ["DSA"] = dir.Write("dsa.pub", "ssh-dss " + Convert.ToBase64String("\0\0\0\u0007ssh-dss\0\0\0\u0001\u0001"u8) + "\n"),
            ["RSA1024"] = dir.Write("rsa1024.pub", Rsa1024PublicKeyLine()),
            ["CERT"] = dir.Write("cert.pub", SignedCertificateLine(dir)),
            ["USERCA"] = Path.Combine(caDir, "user_ca.pub"),
            ["HOSTCA"] = Path.Combine(caDir, "host_ca.pub"),
        };
        var resolved = args.Select(a => files.GetValueOrDefault(a, a)).ToList();
        if (!resolved.Contains("--dir"))
        {
            resolved.AddRange(["--dir", caDir]);
        }
        if (!resolved.Contains("--password-file"))
        {
            resolved.AddRange(["--password-file", cas.PasswordFile]);
        }
        var before = Directory.GetFiles(dir.Path).Length;

        var result = ServerCliRun.InProcess(["ca", "sign", .. resolved]);

        Assert.True(result.ExitCode == exitCode, $"{description}: {result}");
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("beacon-server: ", line);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.Equal(before, Directory.GetFiles(dir.Path).Length);
    }

    [Fact]
    public void WrongPasswordSaysSo()
    {
        using var dir = new TempDirectory();
        var key = NewSubjectKey(dir, "ed25519");
        var caDir = cas.For("ed25519");

        var result = ServerCliRun.InProcess("ca", "sign", "--dir", caDir, "--password-file", cas.WrongPasswordFile, "--user",
            "--public-key", key + ".pub", "--identity", "x", "--principals", "x", "--validity", "1m");

        Assert.Equal($"beacon-server: {Path.Combine(caDir, "user_ca.key.enc")}: wrong password or corrupted key file", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void HelpListsEveryOption()
    {
        var result = ServerCliRun.InProcess("ca", "sign", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--dir", "--password-file", "--user", "--host", "--public-key", "--identity", "--principals", "--validity", "--serial", "--critical", "--extension", "--no-extensions", "--out" })
        {
            Assert.Contains(option, result.Out);
        }
        Assert.Contains("KEY-cert.pub", result.Out);
    }

    private CliResult Sign(string caType, params string[] args) =>
        ServerCliRun.InProcess(["ca", "sign", "--dir", cas.For(caType), "--password-file", cas.PasswordFile, .. args]);

    private string CaFingerprint(string caType, string kind) =>
        Beacon.Ssh.Keys.SshPublicKeyParser.ParseLine(File.ReadAllText(Path.Combine(cas.For(caType), $"{kind}_ca.pub")).Trim()).Fingerprint;

    private static string NewSubjectKey(TempDirectory dir, string type)
    {
        var path = dir.File("id_" + type);
        using var key = type switch
        {
            "ed25519" => Beacon.Ssh.Keys.SshPrivateKey.Generate(Beacon.Ssh.Keys.SshKeyAlgorithm.Ed25519),
            "ecdsa" => Beacon.Ssh.Keys.SshPrivateKey.Generate(Beacon.Ssh.Keys.SshKeyAlgorithm.Ecdsa, 256),
            _ => Beacon.Ssh.Keys.SshPrivateKey.Generate(Beacon.Ssh.Keys.SshKeyAlgorithm.Rsa, 2048),
        };
        File.WriteAllText(path + ".pub", key.PublicKey.ToOpenSshString("me@laptop") + "\n");
        return path;
    }

    private static string Rsa1024PublicKeyLine()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(1024);
        var p = rsa.ExportParameters(false);
        return new Beacon.Ssh.Keys.RsaPublicKey(p.Exponent, p.Modulus).ToOpenSshString() + "\n";
    }

    private static string SignedCertificateLine(TempDirectory dir)
    {
        using var ca = Beacon.Ssh.Keys.Ed25519PrivateKey.Generate();
        using var subject = Beacon.Ssh.Keys.Ed25519PrivateKey.Generate();
        _ = dir;
        return new SshCertificateBuilder
        {
            PublicKey = subject.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "x",
            Principals = ["x"],
            ValidAfter = 0,
            ValidBefore = SshCertificate.Forever,
        }.Sign(ca).ToOpenSshString() + "\n";
    }

    /// <summary>ssh-keygen -L in UTC, as field name to value; list fields joined with commas, "(none)" as empty.</summary>
    internal static Dictionary<string, string> KeygenL(string certificate)
    {
        var result = OpenSsh.Run(OpenSsh.SshKeygen, ["-L", "-f", certificate], environment: new Dictionary<string, string?> { ["TZ"] = "UTC" });
        Assert.True(result.ExitCode == 0, result.ToString());
        var fields = new Dictionary<string, string>();
        string? list = null;
        foreach (var line in result.StandardOutput.Split('\n').Skip(1).Where(l => l.Trim().Length > 0))
        {
            if (line.StartsWith("                ", StringComparison.Ordinal))
            {
                fields[list!] = fields[list!].Length == 0 ? line.Trim() : fields[list!] + "," + line.Trim();
                continue;
            }
            var colon = line.IndexOf(':');
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            fields[name] = value == "(none)" ? "" : value;
            list = name;
        }
        return fields;
    }
}
