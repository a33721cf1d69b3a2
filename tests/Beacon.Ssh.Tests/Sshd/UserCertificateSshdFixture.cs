using Beacon.Testing;

namespace Beacon.Ssh.Tests.Sshd;

/// <summary>
/// One sshd for a test class, trusting every CA in <see cref="TestCas"/>, started on first use so a
/// class whose tests are skipped (no OpenSSH, outside CI) never tries to start it.
/// </summary>
public sealed class UserCertificateSshdFixture : IDisposable
{
    private readonly Lazy<SshdServer> _server;
    private readonly Lazy<SshClient> _client;

    public UserCertificateSshdFixture()
    {
        _server = new(() => SshdServer.Start(new SshdOptions { TrustedUserCaKeys = [.. TestCas.PublicKeys] }));
        _client = new(() =>
        {
            var knownHosts = Files.Write("known_hosts", Server.KnownHostsLine + "\n");
            return SshClient.For(Server, knownHosts);
        });
    }

    /// <summary>Key and certificate files for the tests.</summary>
    public TempDirectory Files { get; } = new();

    public SshdServer Server => _server.Value;

    /// <summary>A client that trusts the server's plain host key.</summary>
    public SshClient Client => _client.Value;

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
        Files.Dispose();
    }
}
