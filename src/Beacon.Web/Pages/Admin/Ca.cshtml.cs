using Beacon.Ssh;
using Beacon.Ssh.Keys;
using Beacon.Web.Server;

namespace Beacon.Web.Pages.Admin;

public sealed class CaModel(ServerApi api) : AdminPage
{
    public sealed record CaKey(string Name, string Fingerprint, string Line);

    public List<CaKey> Keys { get; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, path) in new[] { ("User CA", "v1/trust/user-ca.pub"), ("Host CA", "v1/trust/host-ca.pub") })
        {
            if (await api.GetTextAsync(path, cancellationToken) is { } text)
            {
                try
                {
                    var key = SshPublicKeyParser.ParseLine(text.Trim());
                    Keys.Add(new CaKey(name, key.Fingerprint, text.Trim()));
                }
                catch (SshFormatException)
                {
                    Keys.Add(new CaKey(name, "(not a public key)", ""));
                }
            }
        }
    }
}
