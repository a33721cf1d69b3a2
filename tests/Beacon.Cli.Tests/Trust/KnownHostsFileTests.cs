using Beacon.Cli.Commands.Trust;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Trust;
using Beacon.Testing;

namespace Beacon.Cli.Tests.Trust;

/// <summary>beacon trust's edit of known_hosts: one line per host CA, every other line kept, nothing written when already there.</summary>
public sealed class KnownHostsFileTests
{
    private static readonly SshPublicKey HostCa = Ed25519PrivateKey.Generate().PublicKey;

    [Fact]
    public void ANewFileIsCreatedPrivateWithTheLine()
    {
        using var home = new TempDirectory();
        var path = Path.Combine(home.Path, ".ssh", "known_hosts");
        Assert.True(KnownHostsFile.Apply(path, new KnownHostsCertAuthority(["*.example.com"], HostCa, "beacon-host-ca")));
        Assert.Equal([$"@cert-authority *.example.com {HostCa.ToOpenSshString("beacon-host-ca")}"], File.ReadAllLines(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void OtherLinesAreKeptAndTheSameCaIsReplacedNotDuplicated()
    {
        using var home = new TempDirectory();
        var other = Ed25519PrivateKey.Generate().PublicKey;
        var path = home.Write("known_hosts", $"github.com {other.ToOpenSshString()}\n@cert-authority old.example {HostCa.ToOpenSshString()}\n# a comment\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.True(KnownHostsFile.Apply(path, new KnownHostsCertAuthority(["*"], HostCa)));
        Assert.Equal([$"github.com {other.ToOpenSshString()}", "# a comment", $"@cert-authority * {HostCa.ToOpenSshString()}"], File.ReadAllLines(path));
        // The file's mode is the user's choice and survives the rewrite.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public void TheSameLineTwiceWritesNothing()
    {
        using var home = new TempDirectory();
        var path = home.File("known_hosts");
        var authority = new KnownHostsCertAuthority(["*"], HostCa);
        Assert.True(KnownHostsFile.Apply(path, authority));
        var written = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, written.AddDays(-1));
        Assert.False(KnownHostsFile.Apply(path, authority));
        Assert.Equal(written.AddDays(-1), File.GetLastWriteTimeUtc(path));
    }
}
