using Beacon.Testing;

namespace Beacon.Server.Tests;

/// <summary>The real beacon-server executable, started as a process: its entry point, exit codes and stderr.</summary>
public sealed class ProcessEntryPointTests
{
    [Fact]
    public void BeaconServerExecutableInitsSignsAndFailsWithOneStderrLine()
    {
        using var dir = new TempDirectory();
        var password = dir.WritePrivate("pw", "secret\n");
        var wrong = dir.WritePrivate("wrong", "not the secret\n");
        var caDir = dir.File("ca");
        using var subject = Beacon.Ssh.Keys.Ed25519PrivateKey.Generate();
        var key = dir.Write("id.pub", subject.PublicKey.ToOpenSshString() + "\n");
        string[] sign = ["ca", "sign", "--dir", caDir, "--user", "--public-key", key, "--identity", "x", "--principals", "x", "--validity", "5m"];

        var init = ServerCliRun.AsProcess("ca", "init", "--dir", caDir, "--password-file", password);
        var signed = ServerCliRun.AsProcess([.. sign, "--password-file", password]);
        var refused = ServerCliRun.AsProcess([.. sign, "--password-file", wrong, "--out", dir.File("refused-cert.pub")]);
        var usage = ServerCliRun.AsProcess([.. sign, "--password-file", password, "--validity", "forever"]);

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.True(File.Exists(dir.File("id-cert.pub")));
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("", refused.Out);
        Assert.Equal($"beacon-server: {Path.Combine(caDir, "user_ca.key.enc")}: wrong password or corrupted key file", Assert.Single(refused.ErrorLines));
        Assert.False(File.Exists(dir.File("refused-cert.pub")));
        Assert.Equal(2, usage.ExitCode);
        Assert.Single(usage.ErrorLines);
    }
}
