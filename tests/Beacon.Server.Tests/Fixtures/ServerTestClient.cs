using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Commands.Token;
using Beacon.Server.Identity;
using Beacon.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Server.Tests.Fixtures;

/// <summary>Helpers to mint one-time tokens straight into a test server's store and call the API.</summary>
public static class ServerTestClient
{
    public static async Task<string> MintTokenAsync(this BeaconServerFactory factory, string user, params string[] principals)
    {
        var store = factory.Services.GetRequiredService<IBeaconStore>();
        var token = OneTimeTokenProvider.NewToken();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await store.CreateOneTimeTokenAsync(
            new OneTimeTokenRecord(TokenDigest.StorageHash(token), OneTimeTokenProvider.UserKind, user, JsonSerializer.Serialize(principals), now, now + 300_000),
            new AuditDraft("token.create", "success", "test", user, new Dictionary<string, object?>()));
        return token;
    }

    public static async Task<HttpResponseMessage> RequestCertificateAsync(this HttpClient client, string? token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/certificates/user") { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await client.SendAsync(request);
    }
}
