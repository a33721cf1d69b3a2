using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Server.Tests.Fixtures;
using Beacon.Server.Tests.Revocation;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Tests.Api;

/// <summary>The admin API the web dashboard uses: keyset paging, searches, policy validation by field, the audit chain check.</summary>
public sealed class AdminApiTests
{
    private static HttpClient Client(BeaconServerFactory server, string token)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task CertificatePagesFollowTheCursorNewestFirstWithoutGapsOrRepeats()
    {
        using var server = RevocationServer.Create();
        using var key = Ed25519PrivateKey.Generate();
        var issued = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            issued.Add((await server.IssueAsync("carol", key)).Serial.ToString());
        }
        using var admin = Client(server, StaffDirectoryDouble.AdminToken);
        var seen = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await GetAsync(admin, "/v1/admin/certificates?user=carol&limit=3" + (next is null ? "" : $"&after={next}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("serial").GetString()!));
            next = page.GetProperty("next").ValueKind == JsonValueKind.String ? page.GetProperty("next").GetString() : null;
            pages++;
        }
        while (next is not null);
        Assert.Equal(3, pages);
        Assert.Equal(issued.Order(), seen.Order());
        Assert.Equal(7, seen.Distinct().Count());
        var single = await GetAsync(admin, $"/v1/admin/certificates?serial={issued[2]}");
        Assert.Equal(issued[2], Assert.Single(single.GetProperty("items").EnumerateArray()).GetProperty("serial").GetString());
    }

    [Theory]
    [InlineData("a cursor of another list", "/v1/admin/certificates?after=MTIz")]
    [InlineData("not base64 at all", "/v1/admin/certificates?after=%25%25%25")]
    [InlineData("an unknown status", "/v1/admin/certificates?status=maybe")]
    [InlineData("a forged audit cursor", "/v1/admin/audit?before=eHl6")]
    [InlineData("a forged user cursor", "/v1/admin/users?after=eHl6")]
    public async Task MalformedListParametersAre400(string description, string path)
    {
        using var server = RevocationServer.Create();
        using var admin = Client(server, StaffDirectoryDouble.AdminToken);
        using var response = await admin.GetAsync(path);
        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{description}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task InvalidPolicyIs400WithErrorsByFieldAndNothingSaved()
    {
        using var server = RevocationServer.Create();
        using var admin = Client(server, StaffDirectoryDouble.AdminToken);
        var before = (await GetAsync(admin, "/v1/admin/policies")).GetProperty("items").GetArrayLength();
        using var response = await admin.PostAsJsonAsync("/v1/admin/policies", new
        {
            document = new
            {
                policies = new object[]
                {
                    new { name = "ops", subjects = new[] { new { provider = "nowhere" } }, principals = new[] { "root" }, max_ttl = "forever", source_cidrs = new[] { "10.0.0.0/33" } },
                    new { name = "ops", subjects = Array.Empty<object>(), principals = Array.Empty<string>() },
                },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "policies[0].subjects[0].provider", "policies[0].max_ttl", "policies[0].source_cidrs[0]", "policies[1].name", "policies[1].subjects", "policies[1].principals" })
        {
            Assert.True(errors.TryGetProperty(field, out var messages) && messages.GetArrayLength() > 0, $"no error for {field}: {errors}");
        }
        Assert.Equal(before, (await GetAsync(admin, "/v1/admin/policies")).GetProperty("items").GetArrayLength());
        var refused = await GetAsync(admin, "/v1/admin/audit?kind=policy.update&outcome=refused");
        Assert.Single(refused.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task AWrongTypeInThePolicyNamesItsField()
    {
        using var server = RevocationServer.Create();
        using var admin = Client(server, StaffDirectoryDouble.AdminToken);
        using var response = await admin.PostAsync("/v1/admin/policies", new StringContent(
            """{"document":{"policies":[{"name":"x","max_ttl":15}]}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("policies[0].max_ttl", out _), errors.ToString());
    }

    [Fact]
    public async Task SavingAPolicyMakesANewVersionAndAStaleBaseIs409()
    {
        using var server = RevocationServer.Create();
        using var admin = Client(server, StaffDirectoryDouble.AdminToken);
        var latest = (await GetAsync(admin, "/v1/admin/policies")).GetProperty("items")[0].GetProperty("version").GetInt64();
        var current = (await GetAsync(admin, $"/v1/admin/policies/{latest}")).GetProperty("document");
        using var saved = await admin.PostAsJsonAsync("/v1/admin/policies", new { base_version = latest, document = current });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var version = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();
        Assert.Equal(latest + 1, version);
        var history = await GetAsync(admin, "/v1/admin/policies");
        Assert.Equal("staff:alice-id", history.GetProperty("items")[0].GetProperty("created_by").GetString());

        using var stale = await admin.PostAsJsonAsync("/v1/admin/policies", new { base_version = latest, document = current });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
    }

    [Fact]
    public async Task AdminDisablesAndEnablesAUserAndTheAuditChainVerifies()
    {
        using var server = RevocationServer.Create();
        using var key = Ed25519PrivateKey.Generate();
        await server.IssueAsync("carol", key);
        using var admin = Client(server, StaffDirectoryDouble.AdminToken);
        // JsonContent is sent chunked (no Content-Length), as beacon-web sends it.
        using (var disabled = await admin.PostAsync("/v1/admin/users/carol/disable", JsonContent.Create(new { reason = "left" })))
        {
            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        }
        var users = await GetAsync(admin, "/v1/admin/users?q=car");
        var carol = Assert.Single(users.GetProperty("items").EnumerateArray());
        Assert.True(carol.GetProperty("disabled").GetBoolean());
        Assert.Equal("left", carol.GetProperty("disabled_reason").GetString());
        using (var enabled = await admin.PostAsync("/v1/admin/users/carol/enable", null))
        {
            Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        }
        using (var unknown = await admin.PostAsync("/v1/admin/users/nobody/disable", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        var events = await GetAsync(admin, "/v1/admin/audit?subject=carol&limit=2");
        Assert.Equal(["user.enable", "user.disable"], events.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray());

        using var verify = await admin.PostAsync("/v1/admin/audit/verify", null);
        var result = await verify.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(result.GetProperty("intact").GetBoolean());
        Assert.True(result.GetProperty("checked").GetInt64() >= 3);
    }

    [Fact]
    public async Task MeSaysWhetherTheCallerIsAnAdminAndNonAdminsGet403()
    {
        using var server = RevocationServer.Create();
        using var admin = Client(server, StaffDirectoryDouble.AdminToken);
        using var staff = Client(server, StaffDirectoryDouble.StaffToken);
        Assert.True((await GetAsync(admin, "/v1/me")).GetProperty("is_admin").GetBoolean());
        Assert.False((await GetAsync(staff, "/v1/me")).GetProperty("is_admin").GetBoolean());
        foreach (var path in new[] { "/v1/admin/users", "/v1/admin/certificates", "/v1/admin/audit", "/v1/admin/policies" })
        {
            using var response = await staff.GetAsync(path);
            Assert.True(HttpStatusCode.Forbidden == response.StatusCode, $"{path}: {(int)response.StatusCode}");
        }
    }
}
