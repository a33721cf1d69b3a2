using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Server.CaLifecycle;
using Beacon.Server.Hosting;
using Beacon.Server.Identity;
using Beacon.Server.Issuance;
using Beacon.Server.Signing;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Server.Tests.Revocation;
using Beacon.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Server.Tests.Trust;

/// <summary>
/// A server in process for the CA lifecycle and the trust bundle: beacon-admins as the admin group, the
/// staff directory double beside one-time tokens, and a clock the tests move.
/// </summary>
internal static class TrustServer
{
    /// <summary>Offline signing with an operator key nobody signs with in these tests: versions are staged as drafts.</summary>
    public static IReadOnlyDictionary<string, string?> OfflineDrafts => new Dictionary<string, string?>
    {
        ["Beacon:Trust:Signing"] = "offline",
        ["Beacon:Trust:OperatorKeyFile"] = OperatorKeyFile.Value,
    };

    private static readonly Lazy<string> OperatorKeyFile = new(() =>
    {
        using var key = Beacon.Trust.OpenPgp.OpenPgpSigningKey.Generate("operator (tests)", DateTimeOffset.UtcNow);
        var path = Path.Combine(Path.GetTempPath(), $"beacon-operator-{Guid.NewGuid():N}.asc");
        File.WriteAllText(path, key.ExportPublicArmored());
        return path;
    });

    public static BeaconServerFactory Create(DatabaseTarget database, FakeTimeProvider clock, IReadOnlyDictionary<string, string?>? settings = null, CaKeyRing? cas = null)
    {
        var all = new Dictionary<string, string?> { ["Beacon:Admin:Groups:0"] = StaffDirectoryDouble.AdminGroup };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new BeaconServerFactory(all, database, cas)
        {
            OverrideServices = services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddSingleton(sp => new IdentityProviderRegistry(
                [
                    new StaffDirectoryDouble(),
                    sp.GetRequiredService<IdentityProviderFactory>().Create("token", new ProviderOptions { Type = "token" }),
                ]));
            },
        };
    }

    public static CaKeyRing Ring(this BeaconServerFactory server) => server.Services.GetRequiredService<CaKeyRing>();

    public static ITrustStore Trust(this BeaconServerFactory server) => server.Services.GetRequiredService<ITrustStore>();

    /// <summary>Runs the refresher's check now, as its timer would (a step made elsewhere, a policy change).</summary>
    public static Task CheckTrustAsync(this BeaconServerFactory server) =>
        server.Services.GetRequiredService<TrustRefresher>().CheckAsync("test", CancellationToken.None);

    public static async Task<long> LatestBundleVersionAsync(this BeaconServerFactory server) =>
        (await server.Trust().LatestTrustBundleAsync())?.Version ?? 0;

    public static async Task<HttpResponseMessage> GetAsAsync(this HttpClient client, string path, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return await client.SendAsync(request);
    }

    /// <summary>POST /v1/admin/ca/{kind}/{step} as the given bearer (the admin by default).</summary>
    public static async Task<HttpResponseMessage> CaStepAsync(this HttpClient client, string kind, string step, object? body = null,
        string? bearer = StaffDirectoryDouble.AdminToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/admin/ca/{kind}/{step}");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return await client.SendAsync(request);
    }

    /// <summary>POST /v1/admin/trust/bundle/signature?version=N with the armored signature as text/plain.</summary>
    public static async Task<HttpResponseMessage> PostSignatureAsync(this HttpClient client, long version, string signature, string? bearer = StaffDirectoryDouble.AdminToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/admin/trust/bundle/signature?version={version}")
        {
            Content = new StringContent(signature, System.Text.Encoding.UTF8, "text/plain"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> OkJsonAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer with the status and returns its detail.</summary>
    public static async Task<string> ProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
    }
}
