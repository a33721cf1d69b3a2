using System.Net;
using System.Text.Json;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Keys;
using Microsoft.AspNetCore.Http;

namespace Beacon.Server.Tests.Api;

/// <summary>
/// Rate limits with small Beacon:Limits:* settings: a flood of failed authentications from one address,
/// and issuance beyond the per-identity and per-address budgets, get 429 problem+json with Retry-After.
/// Requests go through TestServer with a chosen client address.
/// </summary>
public sealed class RateLimitTests : IDisposable
{
    private static readonly string UserKey = Ed25519PrivateKey.Generate().PublicKey.ToOpenSshString();

    private readonly List<BeaconServerFactory> _factories = [];

    [Fact]
    public async Task FailedAuthenticationFloodFromOneAddressGets429WithRetryAfter()
    {
        var factory = Server(("Beacon:Limits:AuthenticationFailuresPerAddressPerMinute", "3"));
        Assert.Equal(401, (await PostAsync(factory, "10.0.0.1", "beacon-ott-guess-1")).Status);
        Assert.Equal(401, (await PostAsync(factory, "10.0.0.1", null)).Status);
        Assert.Equal(401, (await PostAsync(factory, "10.0.0.1", "beacon-ott-guess-2")).Status);

        var flooded = await PostAsync(factory, "10.0.0.1", "beacon-ott-guess-3");
        AssertTooMany(flooded, "too many failed authentications");

        // Once blocked, even a good token from that address waits, and is not spent meanwhile.
        var token = await factory.MintTokenAsync("alice", "alice");
        AssertTooMany(await PostAsync(factory, "10.0.0.1", token), "too many failed authentications");
        // Other addresses are not affected.
        Assert.Equal(201, (await PostAsync(factory, "10.0.0.2", token)).Status);
        Assert.Equal(401, (await PostAsync(factory, "10.0.0.2", "beacon-ott-guess-4")).Status);
    }

    [Fact]
    public async Task IssuanceBeyondThePerIdentityLimitGets429()
    {
        var factory = Server(("Beacon:Limits:IssuancePerIdentityPerMinute", "2"));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(201, (await PostAsync(factory, $"10.0.1.{i}", await factory.MintTokenAsync("alice", "alice"))).Status);
        }
        // A third request for alice, from yet another address, is over her budget.
        var limited = await PostAsync(factory, "10.0.1.9", await factory.MintTokenAsync("alice", "alice"));
        AssertTooMany(limited, "too many certificate requests for \"alice\"");
        Assert.Equal(201, (await PostAsync(factory, "10.0.1.9", await factory.MintTokenAsync("bob", "bob"))).Status);
    }

    [Fact]
    public async Task IssuanceBeyondThePerAddressLimitGets429()
    {
        var factory = Server(("Beacon:Limits:IssuancePerAddressPerMinute", "2"));
        Assert.Equal(201, (await PostAsync(factory, "10.0.2.1", await factory.MintTokenAsync("carol", "carol"))).Status);
        Assert.Equal(201, (await PostAsync(factory, "10.0.2.1", await factory.MintTokenAsync("dave", "dave"))).Status);
        AssertTooMany(await PostAsync(factory, "10.0.2.1", await factory.MintTokenAsync("erin", "erin")), "too many certificate requests from this address");
        Assert.Equal(201, (await PostAsync(factory, "10.0.2.2", await factory.MintTokenAsync("erin", "erin"))).Status);
    }

    private static void AssertTooMany((int Status, string? RetryAfter, string ContentType, string Body) response, string detail)
    {
        Assert.True(response.Status == 429, $"{response.Status} {response.Body}");
        Assert.True(int.TryParse(response.RetryAfter, out var seconds) && seconds is > 0 and <= 60, $"Retry-After: {response.RetryAfter}");
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(response.Body);
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private BeaconServerFactory Server(params (string Key, string Value)[] settings)
    {
        var factory = new BeaconServerFactory(settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        _factories.Add(factory);
        return factory;
    }

    /// <summary>POST /v1/certificates/user as if from the given client address.</summary>
    private static async Task<(int Status, string? RetryAfter, string ContentType, string Body)> PostAsync(BeaconServerFactory factory, string address, string? token)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { public_key = UserKey });
        var context = await factory.Server.SendAsync(http =>
        {
            http.Connection.RemoteIpAddress = IPAddress.Parse(address);
            http.Request.Method = HttpMethods.Post;
            http.Request.Path = "/v1/certificates/user";
            http.Request.ContentType = "application/json";
            http.Request.ContentLength = body.Length;
            http.Request.Body = new MemoryStream(body);
            if (token is not null)
            {
                http.Request.Headers.Authorization = $"Bearer {token}";
            }
        });
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, context.Response.Headers.RetryAfter.ToString(), context.Response.ContentType ?? "", await reader.ReadToEndAsync());
    }

    public void Dispose() => _factories.ForEach(f => f.Dispose());
}
