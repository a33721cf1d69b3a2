using Beacon.Testing;

namespace Beacon.Cli.Tests;

/// <summary>The real executable, started as a process: its entry point, exit codes and stderr.</summary>
public sealed class ProcessEntryPointTests
{
    [Fact]
    public void BeaconExecutableInspectsAndFailsWithOneStderrLine()
    {
        using var dir = new TempDirectory();
        var good = dir.Write("id-cert.pub", Inspect.InspectTestData.UserCertificate().ToOpenSshString());
        var bad = dir.Write("bad-cert.pub", "garbage\n");

        var ok = CliRun.AsProcess("inspect", "--json", good);
        var failed = CliRun.AsProcess("inspect", bad);
        var usage = CliRun.AsProcess("inspect", "--no-such-option", good);

        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("\"key_id\": \"alice@example.com via github\"", ok.Out);
        Assert.Equal(1, failed.ExitCode);
        Assert.Equal("", failed.Out);
        Assert.Equal($"beacon: {bad}: key line: expected \"type base64 [comment]\"", Assert.Single(failed.ErrorLines));
        Assert.Equal(2, usage.ExitCode);
    }
}
