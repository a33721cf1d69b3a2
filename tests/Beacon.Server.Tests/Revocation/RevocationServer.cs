using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Server.Hosting;
using Beacon.Server.Identity;
using Beacon.Server.Issuance;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Server.Tests.Revocation;

/// <summary>A server in process with beacon-admins as the admin group and the staff directory double beside one-time tokens.</summary>
internal static class RevocationServer
{
    public static BeaconServerFactory Create(IDictionary<string, string?>? settings = null, Beacon.Server.Signing.CaKeyRing? cas = null)
    {
        var all = new Dictionary<string, string?> { ["Beacon:Admin:Groups:0"] = StaffDirectoryDouble.AdminGroup };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new BeaconServerFactory(all, cas: cas)
        {
            OverrideServices = services => services.AddSingleton(sp => new IdentityProviderRegistry(
            [
                new StaffDirectoryDouble(),
                sp.GetRequiredService<IdentityProviderFactory>().Create("token", new ProviderOptions { Type = "token" }),
            ])),
        };
    }

    /// <summary>Issues a certificate for the key through the API with a fresh one-time token.</summary>
    public static async Task<SshCertificate> IssueAsync(this BeaconServerFactory server, string user, SshPrivateKey key)
    {
        var token = await server.MintTokenAsync(user, user);
        using var client = server.CreateClient();
        using var response = await client.RequestCertificateAsync(token, new { public_key = key.PublicKey.ToOpenSshString() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return SshCertificateParser.ParseLine(json.RootElement.GetProperty("certificate").GetString()!);
    }

    public static async Task<HttpResponseMessage> RevokeAsync(this HttpClient client, string? token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/revocations") { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await client.SendAsync(request);
    }
}
