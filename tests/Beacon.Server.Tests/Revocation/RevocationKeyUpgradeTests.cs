using Beacon.Server.Revocation;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Krl;
using Beacon.Ssh.SshSig;
using Beacon.Testing;

namespace Beacon.Server.Tests.Revocation;

/// <summary>A data directory initialised before revocation keys existed gets one on its first run, encrypted like the CA keys.</summary>
public sealed class RevocationKeyUpgradeTests
{
    [Fact]
    public async Task RunCreatesAMissingRevocationKeyAndServesASignedKrl()
    {
        using var data = new TempDirectory("beacon-server-upgrade-");
        var dataDir = Path.Combine(data.Path, "data");
        Assert.Equal(0, ServerProcess.Run(["init", "--data-dir", dataDir], null).ExitCode);
        var caDir = Path.Combine(dataDir, "ca");
        File.Delete(RevocationKeyFiles.PublicKeyPath(caDir));
        File.Delete(RevocationKeyFiles.PrivateKeyPath(caDir));

        using var server = ServerProcess.Start(data: data);
        Assert.True(RevocationKeyFiles.Exists(caDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(RevocationKeyFiles.PrivateKeyPath(caDir)));
        var key = SshPublicKeyParser.ParseLine(File.ReadAllText(RevocationKeyFiles.PublicKeyPath(caDir)).Trim());
        Assert.Contains("created the revocation key", server.Output, StringComparison.Ordinal);

        using var client = server.CreateClient();
        var krl = await client.GetByteArrayAsync("/v1/trust/krl");
        Assert.Empty(KrlParser.Parse(krl).CertificateSections);
        Assert.True(SshSigVerifier.Verify(SshSigParser.ParseArmored(await client.GetStringAsync("/v1/trust/krl.sig")), krl, RevocationKey.SignatureNamespace, key));
    }

    [Fact]
    public void ALoneRevocationPublicKeyIsAnErrorNotReplaced()
    {
        using var data = new TempDirectory();
        File.WriteAllText(RevocationKeyFiles.PublicKeyPath(data.Path), Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString() + "\n");
        var error = Assert.Throws<Beacon.Server.Ca.CaException>(() => RevocationKeyFiles.LoadOrCreate(data.Path, "pw"u8, out _));
        Assert.Contains("revocation.key.enc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongPasswordIsRefused()
    {
        using var data = new TempDirectory();
        RevocationKeyFiles.Create(data.Path, "right"u8, Beacon.Server.Keys.EncryptedKeyFile.MinIterations).Dispose();
        Assert.Throws<Beacon.Server.Ca.CaException>(() => RevocationKeyFiles.Load(data.Path, "wrong"u8));
        using var loaded = RevocationKeyFiles.Load(data.Path, "right"u8);
        Assert.Equal(SshKeyTypes.Ed25519, loaded.PublicKey.KeyType);
    }
}
