using Beacon.Trust.OpenPgp;

namespace Beacon.Server.Trust;

/// <summary>
/// The server-held bundle-signing key (server signing mode). `run` loads it from the data directory
/// before serving; a server wired without one (tests) makes an ephemeral key on first use.
/// </summary>
public sealed class ServerBundleKey(Func<OpenPgpSigningKey> load) : IDisposable
{
    private readonly Lazy<OpenPgpSigningKey> _key = new(load, LazyThreadSafetyMode.ExecutionAndPublication);

    public ServerBundleKey(OpenPgpSigningKey key) : this(() => key)
    {
    }

    public OpenPgpSigningKey Key => _key.Value;

    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }
    }
}
