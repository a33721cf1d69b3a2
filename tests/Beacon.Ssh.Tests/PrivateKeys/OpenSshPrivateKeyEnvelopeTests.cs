using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.PrivateKeys;

public sealed class OpenSshPrivateKeyEnvelopeTests
{
    [Fact]
    public void UnencryptedFileShowsCipherNoneAndItsPublicKey()
    {
        using var key = Ed25519PrivateKey.Generate();

        var envelope = OpenSshPrivateKeyFile.ReadEnvelope(OpenSshPrivateKeyFile.Write(key, "c"));

        Assert.False(envelope.IsEncrypted);
        Assert.Equal(("none", "none"), (envelope.Cipher, envelope.Kdf));
        Assert.Equal(key.PublicKey, envelope.PublicKey);
    }

    [RequiresOpenSshFact]
    public void EncryptedFileFromSshKeygenShowsItsCipherAndPublicKeyWithoutAPassphrase()
    {
        using var dir = new TempDirectory();
        var path = dir.File("id");
        var made = OpenSsh.Keygen("-q", "-t", "ecdsa", "-N", "passphrase", "-f", path);
        Assert.True(made.ExitCode == 0, made.ToString());

        var envelope = OpenSshPrivateKeyFile.ReadEnvelope(File.ReadAllText(path));

        Assert.True(envelope.IsEncrypted);
        Assert.Equal(("aes256-ctr", "bcrypt"), (envelope.Cipher, envelope.Kdf));
        Assert.Equal(SshPublicKeyParser.ParseLine(File.ReadAllText(path + ".pub")), envelope.PublicKey);
        Assert.Throws<SshFormatException>(() => OpenSshPrivateKeyFile.Read(File.ReadAllText(path)));
    }

    [RequiresOpenSshTheory]
    [InlineData("aes256-ctr")]
    [InlineData("aes256-gcm@openssh.com")]
    [InlineData("chacha20-poly1305@openssh.com")]
    public void EveryCipherOfSshKeygenIsRecognised(string cipher)
    {
        using var dir = new TempDirectory();
        var path = dir.File("id");
        var made = OpenSsh.Keygen("-q", "-t", "ed25519", "-N", "passphrase", "-Z", cipher, "-f", path);
        Assert.True(made.ExitCode == 0, made.ToString());

        var envelope = OpenSshPrivateKeyFile.ReadEnvelope(File.ReadAllText(path));

        Assert.Equal(cipher, envelope.Cipher);
        Assert.Equal(SshPublicKeyParser.ParseLine(File.ReadAllText(path + ".pub")), envelope.PublicKey);
    }

    [Fact]
    public void EveryTruncatedFileIsAFormatException()
    {
        using var key = Ed25519PrivateKey.Generate();
        var text = OpenSshPrivateKeyFile.Write(key);
        var body = Convert.FromBase64String(string.Concat(text.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));

        for (var length = 0; length < body.Length; length++)
        {
            var truncated = $"-----BEGIN OPENSSH PRIVATE KEY-----\n{Convert.ToBase64String(body, 0, length)}\n-----END OPENSSH PRIVATE KEY-----\n";
            Assert.Throws<SshFormatException>(() => OpenSshPrivateKeyFile.ReadEnvelope(truncated));
        }
    }
}
