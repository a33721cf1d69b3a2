using Beacon.Client;
using Beacon.Testing;
using Beacon.Trust.Bundle;

namespace Beacon.Client.Tests;

/// <summary>The conditional trust GETs against the real server: bytes, ETag and version, then 304 for the same ETag.</summary>
public sealed class BeaconClientTrustTests : IClassFixture<ServerProcessFixture>
{
    private readonly ServerProcess _server;

    public BeaconClientTrustTests(ServerProcessFixture server) => _server = server.Process;

    [Fact]
    public async Task TheBundleComesWithItsETagAndVersionAndIsNotModifiedForTheSameETag()
    {
        using var client = new BeaconClient(new Uri(_server.Url), _server.Fingerprint);
        var bundle = await client.GetTrustBundleAsync();
        Assert.False(bundle.NotModified);
        Assert.NotNull(bundle.ETag);
        Assert.Equal(TrustBundleDocument.Parse(bundle.Content).Version, bundle.Version);
        var again = await client.GetTrustBundleAsync(bundle.ETag);
        Assert.True(again.NotModified);
        Assert.Empty(again.Content);
        var signature = await client.GetTrustBundleSignatureAsync();
        Assert.StartsWith("-----BEGIN PGP SIGNATURE-----", System.Text.Encoding.ASCII.GetString(signature.Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheKrlAndItsSignatureAreConditionalToo()
    {
        using var client = new BeaconClient(new Uri(_server.Url), _server.Fingerprint);
        var krl = await client.GetKrlAsync();
        Assert.False(krl.NotModified);
        Assert.NotNull(krl.Version);
        Assert.True((await client.GetKrlAsync(krl.ETag)).NotModified);
        var signature = await client.GetKrlSignatureAsync();
        Assert.True((await client.GetKrlSignatureAsync(signature.ETag)).NotModified);
    }

    [Fact]
    public async Task AnotherETagGetsTheBytes()
    {
        using var client = new BeaconClient(new Uri(_server.Url), _server.Fingerprint);
        var krl = await client.GetKrlAsync("\"not-the-current-one\"");
        Assert.False(krl.NotModified);
        Assert.NotEmpty(krl.Content);
    }
}
