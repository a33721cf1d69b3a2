using Beacon.Server.Ca;
using Beacon.Server.Keys;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Server.Tests.Ca;

public sealed class OfflineCaDirectoryTests
{
    private static readonly byte[] Password = "pw"u8.ToArray();

    [Fact]
    public void InitWritesFourFilesWithPrivateModes()
    {
        using var temp = new TempDirectory();
        var ca = new OfflineCaDirectory(Path.Combine(temp.Path, "ca"));

        var (user, host) = ca.Initialize(CaKeySpec.Default, Password, EncryptedKeyFile.MinIterations);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(ca.Path));
        foreach (var kind in new[] { CaKind.User, CaKind.Host })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ca.PrivateKeyPath(kind)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(ca.PublicKeyPath(kind)));
        }
        Assert.Equal(user, ca.LoadPublicKey(CaKind.User));
        Assert.Equal(host, ca.LoadPublicKey(CaKind.Host));
        Assert.NotEqual(user, host);
        using var userKey = ca.LoadPrivateKey(CaKind.User, Password);
        Assert.Equal(user, userKey.PublicKey);
    }

    [Fact]
    public void ExistingDirectoryIsTightenedTo0700()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "ca");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);

        new OfflineCaDirectory(path).Initialize(CaKeySpec.Default, Password, EncryptedKeyFile.MinIterations);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData("user_ca.pub")]
    [InlineData("host_ca.key.enc")]
    public void InitRefusesToOverwriteAndWritesNothing(string existing)
    {
        using var temp = new TempDirectory();
        var ca = new OfflineCaDirectory(temp.Path);
        File.WriteAllText(Path.Combine(temp.Path, existing), "keep me");

        var e = Assert.Throws<CaException>(() => ca.Initialize(CaKeySpec.Default, Password, EncryptedKeyFile.MinIterations));

        Assert.Contains("refusing to overwrite", e.Message);
        Assert.Equal([existing], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(temp.Path, existing)));
    }

    [Fact]
    public void SwappedPublicKeyFileIsDetected()
    {
        using var temp = new TempDirectory();
        var ca = new OfflineCaDirectory(temp.Path);
        ca.Initialize(CaKeySpec.Default, Password, EncryptedKeyFile.MinIterations);
        File.WriteAllText(ca.PublicKeyPath(CaKind.User), Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString() + "\n");

        var e = Assert.Throws<CaException>(() => ca.LoadPrivateKey(CaKind.User, Password));

        Assert.Contains("does not match", e.Message);
    }

    [Fact]
    public void WrongPasswordNamesTheFileAndTheCleanError()
    {
        using var temp = new TempDirectory();
        var ca = new OfflineCaDirectory(temp.Path);
        ca.Initialize(CaKeySpec.Default, Password, EncryptedKeyFile.MinIterations);

        var e = Assert.Throws<CaException>(() => ca.LoadPrivateKey(CaKind.Host, "wrong"u8));

        Assert.Equal($"{ca.PrivateKeyPath(CaKind.Host)}: wrong password or corrupted key file", e.Message);
    }

    [Fact]
    public void MissingCaIsACleanError()
    {
        using var temp = new TempDirectory();

        var e = Assert.Throws<CaException>(() => new OfflineCaDirectory(temp.Path).LoadPrivateKey(CaKind.User, Password));

        Assert.Contains("ca init", e.Message);
    }
}
