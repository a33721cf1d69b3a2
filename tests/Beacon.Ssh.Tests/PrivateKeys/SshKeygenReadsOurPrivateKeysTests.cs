using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.PrivateKeys;

/// <summary>ssh-keygen reads the private key files we write and derives the same public key from them.</summary>
public sealed class SshKeygenReadsOurPrivateKeysTests
{
    [RequiresOpenSshTheory]
    [InlineData(SshKeyAlgorithm.Ed25519, 0)]
    [InlineData(SshKeyAlgorithm.Ecdsa, 256)]
    [InlineData(SshKeyAlgorithm.Ecdsa, 384)]
    [InlineData(SshKeyAlgorithm.Ecdsa, 521)]
    [InlineData(SshKeyAlgorithm.Rsa, 2048)]
    [InlineData(SshKeyAlgorithm.Rsa, 3072)]
    public void SshKeygenDerivesTheSamePublicKeyFromOurFile(SshKeyAlgorithm algorithm, int bits)
    {
        using var files = new TempDirectory();
        using var key = SshPrivateKey.Generate(algorithm, bits);
        var file = files.WritePrivate("key", OpenSshPrivateKeyFile.Write(key, "written by beacon"));

        var result = OpenSsh.Keygen("-y", "-f", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(key.PublicKey.ToOpenSshString("written by beacon") + "\n", result.StandardOutput);
    }

    [RequiresOpenSshTheory]
    [InlineData("ed25519", new string[0])]
    [InlineData("ecdsa", new[] { "-b", "384" })]
    [InlineData("rsa", new[] { "-b", "2048" })]
    public void WeReadTheFileSshKeygenJustWrote(string type, string[] size)
    {
        using var files = new TempDirectory();
        var path = files.File("key");
        var made = OpenSsh.Keygen(["-q", "-t", type, .. size, "-N", "", "-C", "fresh", "-f", path]);
        Assert.True(made.ExitCode == 0, made.ToString());

        using var key = OpenSshPrivateKeyFile.Read(File.ReadAllText(path), out var comment);

        Assert.Equal(SshPublicKeyParser.ParseLine(File.ReadAllText(path + ".pub")), key.PublicKey);
        Assert.Equal("fresh", comment);
    }

    [RequiresOpenSshFact]
    public void SshKeygensPassphraseProtectedFileIsRefusedWithAClearMessage()
    {
        using var files = new TempDirectory();
        var path = files.File("key");
        var made = OpenSsh.Keygen("-q", "-t", "ed25519", "-N", "correct horse", "-f", path);
        Assert.True(made.ExitCode == 0, made.ToString());

        var error = Assert.Throws<SshFormatException>(() => OpenSshPrivateKeyFile.Read(File.ReadAllText(path)));
        Assert.Contains("encrypted", error.Message);
    }
}
