using Beacon.Testing;

namespace Beacon.Host.Tests.EndToEnd;

/// <summary>
/// The real beacon-server with Hosts rules for beacon-host's end-to-end tests: group prod may name
/// 127.0.0.1 for 720h; group short may name it for one second (to get an expired certificate honestly).
/// </summary>
public sealed class HostServerFixture : IDisposable
{
    public static readonly Dictionary<string, string?> Environment = new()
    {
        ["Beacon__Policy__Hosts__0__Group"] = "prod",
        ["Beacon__Policy__Hosts__0__Names__0"] = "127.0.0.1",
        ["Beacon__Policy__Hosts__0__MaxTtl"] = "720h",
        ["Beacon__Policy__Hosts__1__Group"] = "short",
        ["Beacon__Policy__Hosts__1__Names__0"] = "127.0.0.1",
        ["Beacon__Policy__Hosts__1__MaxTtl"] = "1s",
    };

    public ServerProcess Process { get; } = ServerProcess.Start(Environment);

    /// <summary>A one-time enrollment token for these groups, minted with the server's own command.</summary>
    public string HostToken(string groups)
    {
        var result = Process.Command("host-token", "create", "--data-dir", Process.DataDir, "--groups", groups);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Trim();
    }

    public void Dispose() => Process.Dispose();
}
