using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Beacon.Server.Tests.Fixtures;
using Beacon.Server.Tests.Revocation;
using Beacon.Server.Trust;
using Beacon.Testing;
using Beacon.Trust.Bundle;
using Beacon.Trust.OpenPgp;

namespace Beacon.Server.Tests.Trust;

/// <summary>
/// The served bundle with server signing: strong ETags and 304s, a new version after each CA step, and a
/// signature the real gpg accepts with the served bundle key. On SQLite and PostgreSQL.
/// </summary>
public abstract class TrustBundleApiTests(DatabaseEngine engine)
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [DatabaseFact]
    public async Task TheBundleAndItsSignatureAreServedWithStrongETagsAndAnswer304()
    {
        await using var server = TrustServer.Create(await engine.NewDatabaseAsync(), _clock);
        using var client = server.CreateClient();

        using var first = await client.GetAsync("/v1/trust/bundle");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1", first.Headers.GetValues("Beacon-Bundle-Version").Single());
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        var bundle = TrustBundleDocument.Parse(await first.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, bundle.Version);
        Assert.Equal(server.Ring().UserCa.PublicKey, Assert.Single(bundle.UserCaKeys).Key);
        Assert.Equal(server.Ring().HostCa.PublicKey, Assert.Single(bundle.HostCaKeys).Key);
        Assert.Equal(server.Revocation.PublicKey, Assert.Single(bundle.RevocationKeys));

        using (var again = await ConditionalAsync(client, "/v1/trust/bundle", etag))
        {
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        }
        using var signature = await client.GetAsync("/v1/trust/bundle.asc");
        Assert.Equal(HttpStatusCode.OK, signature.StatusCode);
        Assert.StartsWith("-----BEGIN PGP SIGNATURE-----", await signature.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(etag, signature.Headers.ETag);
        using (var again = await ConditionalAsync(client, "/v1/trust/bundle.asc", signature.Headers.ETag!))
        {
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        }

        await (await client.CaStepAsync("user", "rotate")).OkJsonAsync();
        using var changed = await ConditionalAsync(client, "/v1/trust/bundle", etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("2", changed.Headers.GetValues("Beacon-Bundle-Version").Single());
        Assert.Equal(["active", "next"], TrustBundleDocument.Parse(await changed.Content.ReadAsByteArrayAsync()).UserCaKeys.Select(k => k.State));
    }

    internal static async Task<HttpResponseMessage> ConditionalAsync(HttpClient client, string path, EntityTagHeaderValue etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(etag);
        return await client.SendAsync(request);
    }
}

public sealed class TrustBundleApiOnSqlite(SqliteEngine engine) : TrustBundleApiTests(engine), IClassFixture<SqliteEngine>;

[RequiresPostgres]
public sealed class TrustBundleApiOnPostgres(PostgresEngine engine) : TrustBundleApiTests(engine), IClassFixture<PostgresEngine>;
