using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;
using Beacon.Testing;

namespace Beacon.Cli.Tests.GoldenPath;

/// <summary>
/// The real peers of the golden path, shared by the tests of one collection: the OpenID provider (npm
/// oidc-provider), the GitHub double, a beacon-server process that accepts both plus CI tokens, and an sshd
/// that trusts the server's user CA and presents a host certificate from the server's host CA.
/// </summary>
public sealed class GoldenPathFixture : IAsyncLifetime
{
    public const string CiAudience = "beacon-ci";

    private readonly List<IDisposable> _owned = [];

    public OidcProviderServer Oidc { get; private set; } = null!;

    public GitHubApiDouble GitHub { get; private set; } = null!;

    public ServerProcess Server { get; private set; } = null!;

    public SshdServer Sshd { get; private set; } = null!;

    /// <summary>A loopback address where nothing listens: an identity provider that is down.</summary>
    public string DeadIssuer { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    public async Task InitializeAsync()
    {
        Oidc = Own(OidcProviderServer.Start());
        GitHub = await GitHubApiDouble.StartAsync();
        GitHub.DeviceInterval = 1;
        Server = Own(ServerProcess.Start(ServerSettings()));
        Sshd = Own(StartSshd());
        // The accounts the tests log in as, all mapped to root on the test sshd.
        Sshd.SetPrincipals("root", "alice", "carol", "dave", "erin", "octo-gh", "deploy");
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private Dictionary<string, string?> ServerSettings() => new()
    {
        // A company OpenID provider: JWT access tokens for the API resource, checked locally.
        ["Beacon__Providers__corp__Type"] = "oidc",
        ["Beacon__Providers__corp__Issuer"] = Oidc.Issuer,
        ["Beacon__Providers__corp__Audiences__0"] = OidcProviderServer.ApiAudience,
        ["Beacon__Providers__corp__AllowHttp"] = "true",
        ["Beacon__Providers__corp__Login__ClientId"] = OidcProviderServer.CliClientId,
        ["Beacon__Providers__corp__Login__Scopes__0"] = "openid",
        ["Beacon__Providers__corp__Login__Scopes__1"] = "profile",
        ["Beacon__Providers__corp__Login__Scopes__2"] = "email",
        ["Beacon__Providers__corp__Login__Scopes__3"] = "groups",
        ["Beacon__Providers__corp__Login__Scopes__4"] = "api",
        ["Beacon__Providers__corp__Login__Resource"] = OidcProviderServer.ApiResource,
        // GitHub, through the double (API and device flow).
        ["Beacon__Providers__github__Type"] = "github",
        ["Beacon__Providers__github__ApiUrl"] = GitHub.ApiUrl,
        ["Beacon__Providers__github__AllowHttp"] = "true",
        ["Beacon__Providers__github__Login__ClientId"] = GitHub.OAuthClientId,
        ["Beacon__Providers__github__Login__WebUrl"] = GitHub.WebUrl,
        // An OpenID provider that is down.
        ["Beacon__Providers__down__Type"] = "oidc",
        ["Beacon__Providers__down__Issuer"] = DeadIssuer,
        ["Beacon__Providers__down__Audiences__0"] = "beacon-api",
        ["Beacon__Providers__down__AllowHttp"] = "true",
        ["Beacon__Providers__down__Login__ClientId"] = "beacon-cli",
        // CI jobs: GitHub Actions-shaped tokens, bound to a repository and a branch.
        ["Beacon__Providers__actions__Type"] = "jwt",
        ["Beacon__Providers__actions__Issuer"] = Oidc.Issuer,
        ["Beacon__Providers__actions__Audiences__0"] = CiAudience,
        ["Beacon__Providers__actions__UsernameClaim"] = "actor",
        ["Beacon__Providers__actions__BoundClaims__repository"] = "acme/deploy-*",
        ["Beacon__Providers__actions__BoundClaims__ref"] = "refs/heads/main",
        ["Beacon__Providers__actions__AllowHttp"] = "true",
        ["Beacon__Policy__Policies__1__Name"] = "people",
        ["Beacon__Policy__Policies__1__Subjects__0__Provider"] = "corp",
        ["Beacon__Policy__Policies__1__Subjects__1__Provider"] = "github",
        ["Beacon__Policy__Policies__1__Principals__0"] = "{username}",
        ["Beacon__Policy__Policies__1__DefaultTtl"] = "15m",
        ["Beacon__Policy__Policies__1__MaxTtl"] = "1h",
        ["Beacon__Policy__Policies__2__Name"] = "deploys",
        ["Beacon__Policy__Policies__2__Subjects__0__Provider"] = "actions",
        ["Beacon__Policy__Policies__2__Principals__0"] = "deploy",
        ["Beacon__Policy__Policies__2__DefaultTtl"] = "10m",
        ["Beacon__Policy__Policies__2__MaxTtl"] = "15m",
        // Hosts of group "lab" are managed by beacon-host: certificates scoped to it log in as root there.
        ["Beacon__Policy__Policies__3__Name"] = "lab",
        ["Beacon__Policy__Policies__3__Subjects__0__Provider"] = "corp",
        ["Beacon__Policy__Policies__3__Principals__0"] = "root",
        ["Beacon__Policy__Policies__3__HostGroups__0"] = "lab",
        ["Beacon__Policy__Policies__3__AllowUngrouped"] = "false",
        ["Beacon__Policy__Policies__3__DefaultTtl"] = "15m",
        ["Beacon__Policy__Policies__3__MaxTtl"] = "1h",
    };

    /// <summary>An sshd trusting the server's user CA, with a host certificate signed by the server's host CA (beacon-server ca sign on the server's own CA directory).</summary>
    private SshdServer StartSshd()
    {
        using var work = new TempDirectory("beacon-hostkey-");
        using var hostKey = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        var publicFile = work.Write("host_key.pub", hostKey.PublicKey.ToOpenSshString() + "\n");
        var certificateFile = work.File("host_key-cert.pub");
        var sign = Server.Command("ca", "sign", "--dir", Path.Combine(Server.DataDir, "ca"), "--password-file", Path.Combine(Server.DataDir, "secrets", "ca-password"),
            "--host", "--public-key", publicFile, "--identity", "test-host", "--principals", "127.0.0.1,localhost", "--validity", "1d", "--out", certificateFile);
        if (sign.ExitCode != 0)
        {
            throw new InvalidOperationException($"signing the host certificate failed: {sign}");
        }
        var userCa = SshPublicKeyParser.ParseLine(File.ReadAllText(Path.Combine(Server.DataDir, "ca", "user_ca.pub")).Trim());
        var sshd = SshdServer.Start(new SshdOptions
        {
            HostKey = hostKey,
            HostCertificate = SshCertificateParser.ParseLine(File.ReadAllText(certificateFile).Trim()),
            TrustedUserCaKeys = [userCa],
            Principals = SshdPrincipals.File,
        });
        return sshd;
    }

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
        if (GitHub is not null)
        {
            await GitHub.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GoldenPathCollection : ICollectionFixture<GoldenPathFixture>
{
    public const string Name = "golden path";
}
