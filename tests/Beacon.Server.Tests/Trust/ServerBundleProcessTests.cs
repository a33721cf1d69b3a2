using Beacon.Server.Trust;
using Beacon.Testing;

namespace Beacon.Server.Tests.Trust;

/// <summary>The real beacon-server process serves a bundle that gpg accepts with the data directory's bundle-key.asc.</summary>
public sealed class ServerBundleProcessTests
{
    [RequiresGpgFact]
    public async Task TheServedBundleVerifiesWithTheDataDirectorysBundleKey()
    {
        using var server = ServerProcess.Start();
        using var client = server.CreateClient();
        var document = await client.GetByteArrayAsync("/v1/trust/bundle");
        var signature = await client.GetStringAsync("/v1/trust/bundle.asc");
        var key = File.ReadAllText(BundleSigningKeyFiles.PublicKeyPath(new Beacon.Server.Hosting.DataDirectory(server.DataDir)));
        Assert.Equal(key, await client.GetStringAsync("/v1/trust/bundle-key.asc"));

        using var gpg = new GpgHome();
        Assert.Equal(0, gpg.Import(key).ExitCode);
        var verify = gpg.Verify(gpg.WriteFile("bundle.json.asc", signature), gpg.WriteFile("bundle.json", document));
        Assert.True(verify.ExitCode == 0 && verify.Has("GOODSIG"), verify.ToString());
    }
}
