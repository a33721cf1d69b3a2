using System.Text.Json;
using System.Text.RegularExpressions;
using Beacon.Testing;

namespace Beacon.Cli.Tests.Inspect;

/// <summary>ssh-keygen makes the certificates and prints them with -L; inspect must agree field by field.</summary>
public sealed partial class InspectAgainstSshKeygenTests
{
    [RequiresOpenSshTheory]
    [InlineData("ed25519", "-t ed25519", "-O force-command=/usr/bin/uptime -O source-address=192.0.2.0/24,2001:db8::/32 -n alice,bob -V 20260101000000:20260101001500")]
    [InlineData("ecdsa", "-t ecdsa -b 384", "-O no-pty -O no-x11-forwarding -n root -V 20250601120000:20300101000000")]
    [InlineData("rsa", "-t rsa -b 3072", "-h -n host.example.com,10.1.2.3")]
    [InlineData("ed25519 forever with no extensions", "-t ed25519", "-O clear -n deploy")]
    public void TextMatchesSshKeygenL(string description, string caType, string signOptions)
    {
        _ = description;
        using var dir = new TempDirectory();
        var certificate = MakeCertificate(dir, caType, signOptions);

        var ours = CliRun.InProcess("inspect", certificate);
        var theirs = KeygenL(certificate);

        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.Equal(Normalize(theirs), ours.Out.TrimEnd('\n'));
    }

    [RequiresOpenSshTheory]
    [InlineData("-t ed25519", "-O force-command=ls -n alice -z 77 -V 20260101000000:20260101001500")]
    [InlineData("-t ecdsa -b 256", "-n a,b,c -z 18446744073709551615")]
    [InlineData("-t rsa -b 3072", "-h -n web -V always:forever")]
    public void JsonMatchesSshKeygenLFields(string caType, string signOptions)
    {
        using var dir = new TempDirectory();
        var certificate = MakeCertificate(dir, caType, signOptions);
        var fields = ParseKeygenL(KeygenL(certificate));

        var result = CliRun.InProcess("inspect", "--json", certificate);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(fields["Type"], $"{root.GetProperty("type").GetString()} {root.GetProperty("certificate_type").GetString()} certificate");
        Assert.EndsWith(root.GetProperty("public_key").GetProperty("fingerprint").GetString()!, fields["Public key"]);
        var ca = root.GetProperty("signing_ca");
        Assert.EndsWith($"{ca.GetProperty("fingerprint").GetString()} (using {ca.GetProperty("signature_algorithm").GetString()})", fields["Signing CA"]);
        Assert.Equal(fields["Key ID"], $"\"{root.GetProperty("key_id").GetString()}\"");
        Assert.Equal(fields["Serial"], root.GetProperty("serial").GetString());
        Assert.Equal(Normalize(fields["Valid"]), root.GetProperty("validity").GetString());
        Assert.Equal(fields["Principals"], string.Join(',', root.GetProperty("principals").EnumerateArray().Select(e => e.GetString())));
        Assert.Equal(fields["Critical Options"], string.Join(',', root.GetProperty("critical_options").EnumerateObject()
            .Select(p => p.Value.GetString() == "" ? p.Name : $"{p.Name} {p.Value.GetString()}")));
        Assert.Equal(fields["Extensions"], string.Join(',', root.GetProperty("extensions").EnumerateObject().Select(p => p.Name)));
    }

    [RequiresOpenSshFact]
    public void PublicAndPrivateKeyFingerprintsMatchSshKeygen()
    {
        using var dir = new TempDirectory();
        var key = dir.File("id");
        Check(OpenSsh.Keygen("-q", "-t", "ecdsa", "-b", "521", "-N", "", "-C", "me", "-f", key));
        var expected = OpenSsh.Keygen("-l", "-f", key + ".pub").StandardOutput.Split(' ')[1];

        var pub = CliRun.InProcess("inspect", "--json", key + ".pub");
        var priv = CliRun.InProcess("inspect", "--json", key);

        using var pubJson = JsonDocument.Parse(pub.Out);
        using var privJson = JsonDocument.Parse(priv.Out);
        Assert.Equal(expected, pubJson.RootElement.GetProperty("fingerprint").GetString());
        Assert.Equal(521, pubJson.RootElement.GetProperty("bits").GetInt32());
        Assert.Equal(expected, privJson.RootElement.GetProperty("fingerprint").GetString());
        Assert.Equal("me", privJson.RootElement.GetProperty("comment").GetString());
    }

    [RequiresOpenSshFact]
    public void EncryptedPrivateKeyIsReportedAsEncryptedWithItsPublicHalf()
    {
        using var dir = new TempDirectory();
        var key = dir.File("id");
        Check(OpenSsh.Keygen("-q", "-t", "ed25519", "-N", "secret passphrase", "-f", key));
        var expected = OpenSsh.Keygen("-l", "-f", key + ".pub").StandardOutput.Split(' ')[1];

        var text = CliRun.InProcess("inspect", key);
        var json = CliRun.InProcess("inspect", "--json", key);

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("Encrypted: yes (aes256-ctr, bcrypt); only its public half is shown\n", text.Out);
        Assert.Contains(expected, text.Out);
        using var document = JsonDocument.Parse(json.Out);
        Assert.True(document.RootElement.GetProperty("encrypted").GetBoolean());
        Assert.Equal(expected, document.RootElement.GetProperty("fingerprint").GetString());
    }

    private static string MakeCertificate(TempDirectory dir, string caType, string signOptions)
    {
        var ca = dir.File("ca");
        var subject = dir.File("subject");
        Check(OpenSsh.Keygen(["-q", .. caType.Split(' '), "-N", "", "-f", ca]));
        Check(OpenSsh.Keygen("-q", "-t", "ed25519", "-N", "", "-f", subject));
        Check(OpenSsh.Keygen(["-q", "-s", ca, "-I", "key id with spaces", .. signOptions.Split(' '), subject + ".pub"]));
        return subject + "-cert.pub";
    }

    private static string KeygenL(string certificate)
    {
        var result = OpenSsh.Run(OpenSsh.SshKeygen, ["-L", "-f", certificate], environment: new Dictionary<string, string?> { ["TZ"] = "UTC" });
        Check(result);
        return result.StandardOutput;
    }

    /// <summary>ssh-keygen's output with our two differences removed: times get a Z, no trailing spaces.</summary>
    private static string Normalize(string keygenOutput) =>
        string.Join('\n', LocalTime().Replace(keygenOutput, "$1Z").Split('\n').Select(l => l.TrimEnd())).TrimEnd('\n');

    /// <summary>Field name to value; list fields (principals, options) joined with commas.</summary>
    private static Dictionary<string, string> ParseKeygenL(string output)
    {
        var fields = new Dictionary<string, string>();
        string? list = null;
        foreach (var line in output.Split('\n').Skip(1).Where(l => l.Trim().Length > 0))
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

    private static void Check(ProcessResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    [GeneratedRegex(@"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?!Z)")]
    private static partial Regex LocalTime();
}
