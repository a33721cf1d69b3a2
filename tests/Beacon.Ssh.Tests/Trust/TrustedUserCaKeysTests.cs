using Beacon.Ssh.Keys;
using Beacon.Ssh.Trust;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Trust;

public sealed class TrustedUserCaKeysTests
{
    private static readonly SshPublicKey Active = Ed25519PrivateKey.Generate().PublicKey;
    private static readonly SshPublicKey Next = SshPrivateKey.Generate(SshKeyAlgorithm.Ecdsa, 384).PublicKey;

    [Fact]
    public void FormatsHeaderCommentsThenOneKeyPerLine()
    {
        var text = TrustedUserCaKeys.Format([new(Active, "active"), new(Next)], ["written by beacon-host", "version 7"]);

        Assert.Equal($"# written by beacon-host\n# version 7\n{Active.ToOpenSshString()} active\n{Next.ToOpenSshString()}\n", text);
    }

    [Fact]
    public void FormattedFileParsesBackToTheSameKeys()
    {
        var keys = TrustedUserCaKeys.Parse(TrustedUserCaKeys.Format([new(Active, "active"), new(Next, "next")], ["header"]));

        Assert.Equal([Active, Next], keys.Select(k => k.Key));
        Assert.Equal(["active", "next"], keys.Select(k => k.Comment));
    }

    [Fact]
    public void BlankLinesCommentsAndCrLfAreSkipped()
    {
        var text = $"# comment\r\n\r\n   \n\t# indented comment\n{Active.ToOpenSshString()}\r\n\n";

        var keys = TrustedUserCaKeys.Parse(text);

        Assert.Equal(Active, Assert.Single(keys).Key);
    }

    [Fact]
    public void EmptyFileTrustsNoKey()
    {
        Assert.Empty(TrustedUserCaKeys.Parse(""));
        Assert.Empty(TrustedUserCaKeys.Parse(TrustedUserCaKeys.Format([])));
    }

    [Fact]
    public void MalformedLineIsNamedByNumber()
    {
        var e = Assert.Throws<SshFormatException>(() => TrustedUserCaKeys.Parse($"# one\n{Active.ToOpenSshString()}\nssh-ed25519 not-base64\n"));
        Assert.StartsWith("TrustedUserCAKeys line 3:", e.Message);
    }

    [Theory]
    [InlineData("a DSA key", "ssh-dss AAAAB3NzaC1kc3MAAACBAP==")]
    [InlineData("an unknown type", "ssh-foo AAAAB3NzaC1mb28=")]
    [InlineData("options before the key", "cert-authority ssh-ed25519 AAAA")]
    public void LineThatIsNotAPlainKeyIsRefused(string description, string line)
    {
        _ = description;
        Assert.Throws<SshFormatException>(() => TrustedUserCaKeys.Parse(line + "\n"));
    }

    [Fact]
    public void MoreThanTheKeyBoundIsRefused()
    {
        var text = string.Concat(Enumerable.Repeat(Active.ToOpenSshString() + "\n", TrustedUserCaKeys.MaxKeys + 1));
        Assert.Throws<SshFormatException>(() => TrustedUserCaKeys.Parse(text));
    }

    [Fact]
    public void OversizedFileIsRefusedBeforeParsing() =>
        Assert.Throws<SshFormatException>(() => TrustedUserCaKeys.Parse(new string('#', TrustedUserCaKeys.MaxFileLength + 1)));

    [Fact]
    public void CommentWithALineBreakIsRefused() =>
        Assert.Throws<SshFormatException>(() => new TrustedCaKey(Active, "x\nssh-ed25519 AAAA"));

    [Fact]
    public void HeaderWithALineBreakIsRefused() =>
        Assert.Throws<ArgumentException>(() => TrustedUserCaKeys.Format([new(Active)], ["x\nssh-ed25519 AAAA"]));

    [RequiresOpenSshFact]
    public void SshKeygenReadsEveryKeyOfTheFormattedFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("trusted_user_ca_keys", TrustedUserCaKeys.Format([new(Active, "active"), new(Next, "next")], ["header"]));

        var result = OpenSsh.Keygen("-l", "-f", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains($"256 {Active.Fingerprint} active (ED25519)", lines[0]);
        Assert.Contains($"384 {Next.Fingerprint} next (ECDSA)", lines[1]);
    }
}
