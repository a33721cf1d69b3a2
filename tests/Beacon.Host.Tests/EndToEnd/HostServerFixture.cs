using Beacon.Testing;

namespace Beacon.Host.Tests.EndToEnd;

/// <summary>
/// The real beacon-server for beacon-host's end-to-end tests. Hosts rules: group prod may name 127.0.0.1
/// for 720h; group short may name it for one second (to get an expired certificate honestly). Users: the
/// one-time-token policy `init` writes may also scope certificates to host groups prod and runners, and
/// the bundle maps both groups to the account root.
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
        ["Beacon__Policy__Policies__0__HostGroups__0"] = "prod",
        ["Beacon__Policy__Policies__0__HostGroups__1"] = "runners",
        ["Beacon__Trust__HostGroupAccounts__prod__0"] = "root",
        ["Beacon__Trust__HostGroupAccounts__runners__0"] = "root",
    };

    public ServerProcess Process { get; } = ServerProcess.Start(Environment);

    /// <summary>A one-time enrollment token for these groups, minted with the server's own command.</summary>
    public string HostToken(string groups)
    {
        var result = Process.Command("host-token", "create", "--data-dir", Process.DataDir, "--groups", groups);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Trim();
    }

    /// <summary>The server's bundle-signing public key, as the operator copies it to hosts.</summary>
    public string BundleKey => File.ReadAllText(Path.Combine(Process.DataDir, "bundle-key.asc"));

    /// <summary>A one-time user token (the token provider) for these principals.</summary>
    public string UserToken(string user, string principals)
    {
        var result = Process.Command("token", "create", "--data-dir", Process.DataDir, "--user", user, "--principals", principals);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Trim();
    }

    public void Dispose() => Process.Dispose();
}
