using System.Text.Json;
using Microsoft.Playwright;

namespace Beacon.Web.Tests;

/// <summary>An admin (bob, in ops) performs every dashboard action; each is checked through the API and the audit log.</summary>
[Collection(WebCollection.Name)]
public sealed class AdminTests(WebStack stack)
{
    [RequiresBrowserFact]
    public async Task AdminDisablesEnablesAndRevokesUsersAndCertificates()
    {
        var first = await stack.IssueCertificateAsync("alice");
        var second = await stack.IssueCertificateAsync("alice");
        var page = await stack.SignInAsync("bob");
        using var api = await stack.ApiAsAsync("bob");

        Assert.Equal("administrator", await page.Locator("dt:text('Role') + dd").InnerTextAsync());
        Assert.Equal(1, await page.Locator("nav[aria-label=Administration]").CountAsync());

        await page.GotoAsync(stack.WebUrl + "/admin/users?q=alice");
        await WebStack.ScreenshotAsync(page, "admin-users");
        await page.GetByLabel("Reason for disabling alice").FillAsync("left the team");
        await page.ClickAsync("button[aria-label='Disable alice']");
        Assert.Contains("alice is disabled", await page.Locator("[role=status]").InnerTextAsync());
        var users = await WebStack.JsonAsync(api, "/v1/admin/users?q=alice");
        Assert.True(users.GetProperty("items")[0].GetProperty("disabled").GetBoolean());
        Assert.Equal("left the team", users.GetProperty("items")[0].GetProperty("disabled_reason").GetString());
        await AssertAuditedAsync(api, "user.disable", "alice");

        await page.ClickAsync("button[aria-label='Enable alice']");
        Assert.Contains("alice is enabled", await page.Locator("[role=status]").InnerTextAsync());
        users = await WebStack.JsonAsync(api, "/v1/admin/users?q=alice");
        Assert.False(users.GetProperty("items")[0].GetProperty("disabled").GetBoolean());
        await AssertAuditedAsync(api, "user.enable", "alice");

        // One certificate by its row's button, found through the search filters.
        await page.GotoAsync(stack.WebUrl + "/admin/certificates?user=alice");
        Assert.Contains(first, await page.Locator("table").InnerTextAsync());
        Assert.Contains(second, await page.Locator("table").InnerTextAsync());
        await WebStack.ScreenshotAsync(page, "admin-certificates");
        var keyId = (await WebStack.JsonAsync(api, $"/v1/admin/certificates/{first}")).GetProperty("summary").GetProperty("key_id").GetString()!;
        await page.FillAsync("#key_id", keyId);
        await page.ClickAsync("form.filters button[type=submit]");
        Assert.All(await page.Locator("tbody tr td:nth-child(4)").AllInnerTextsAsync(), k => Assert.Equal(keyId, k));
        await page.FillAsync("#serial", first);
        await page.ClickAsync("form.filters button[type=submit]");
        Assert.Equal(1, await page.Locator("tbody tr").CountAsync());
        await page.GetByLabel("Reason recorded with a revocation below").FillAsync("laptop lost");
        await page.ClickAsync($"button[aria-label='Revoke certificate {first}']");
        Assert.Contains($"certificate {first} is revoked", await page.Locator("[role=status]").InnerTextAsync());
        var revoked = await WebStack.JsonAsync(api, $"/v1/admin/certificates/{first}");
        Assert.Equal(JsonValueKind.Number, revoked.GetProperty("summary").GetProperty("revoked_at").ValueKind);
        Assert.Equal("corp:bob", revoked.GetProperty("summary").GetProperty("revoked_by").GetString());
        await AssertAuditedAsync(api, "certificate.revoke", null);
        var revocation = (await WebStack.JsonAsync(api, "/v1/admin/audit?kind=certificate.revoke&actor=corp:bob&limit=1")).GetProperty("items")[0];
        Assert.Contains("laptop lost", revocation.GetProperty("details").GetString());
        Assert.Contains(first, revocation.GetProperty("details").GetString());

        // Every live certificate of the user at once.
        await page.GotoAsync(stack.WebUrl + "/admin/users?q=alice");
        await page.ClickAsync("button[aria-label='Revoke all live certificates of alice']");
        Assert.Contains("of alice", await page.Locator("[role=status]").InnerTextAsync());
        var live = await WebStack.JsonAsync(api, "/v1/admin/certificates?user=alice&status=live");
        Assert.Equal(0, live.GetProperty("items").GetArrayLength());
        var secondRecord = await WebStack.JsonAsync(api, $"/v1/admin/certificates/{second}");
        Assert.Equal(JsonValueKind.Number, secondRecord.GetProperty("summary").GetProperty("revoked_at").ValueKind);
    }

    [RequiresBrowserFact]
    public async Task AdminEditsThePolicyAndSeesErrorsBesideTheField()
    {
        var page = await stack.SignInAsync("bob");
        using var api = await stack.ApiAsAsync("bob");
        await page.GotoAsync(stack.WebUrl + "/admin/policies");
        await WebStack.ScreenshotAsync(page, "admin-policies");
        var rule = await RuleIndexAsync(page, "developers");

        await page.FillAsync($"#rule-{rule}-max_ttl", "forever");
        await page.FillAsync($"#rule-{rule}-source_cidrs", "10.0.0.0/33");
        var refused = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button:text('Save as a new version')"),
            r => r.Url.StartsWith(stack.WebUrl + "/admin/policies", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        Assert.Contains("not a duration", await page.Locator($"#rule-{rule}-max_ttl-error").InnerTextAsync());
        Assert.Contains("not a CIDR", await page.Locator($"#rule-{rule}-source_cidrs-error").InnerTextAsync());
        Assert.Equal("true", await page.Locator($"#rule-{rule}-max_ttl").GetAttributeAsync("aria-invalid"));
        await WebStack.ScreenshotAsync(page, "admin-policies-errors");
        await AssertAuditedAsync(api, "policy.update", "policy", outcome: "refused");

        var before = (await WebStack.JsonAsync(api, "/v1/admin/policies")).GetProperty("items")[0].GetProperty("version").GetInt64();
        await page.FillAsync($"#rule-{rule}-max_ttl", "2h");
        await page.FillAsync($"#rule-{rule}-source_cidrs", "");
        await page.ClickAsync("button:text('Save as a new version')");
        Assert.Contains($"policy version {before + 1} saved", await page.Locator("[role=status]").InnerTextAsync());
        var history = await WebStack.JsonAsync(api, "/v1/admin/policies");
        Assert.Equal(before + 1, history.GetProperty("items")[0].GetProperty("version").GetInt64());
        Assert.Equal("corp:bob", history.GetProperty("items")[0].GetProperty("created_by").GetString());
        var saved = await WebStack.JsonAsync(api, $"/v1/admin/policies/{before + 1}");
        var developers = saved.GetProperty("document").GetProperty("policies").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "developers");
        Assert.Equal("2h", developers.GetProperty("max_ttl").GetString());
        Assert.Equal("developers", developers.GetProperty("subjects")[0].GetProperty("groups")[0].GetString());
        // The host rules, which the form does not show, are carried over.
        Assert.Equal("web", saved.GetProperty("document").GetProperty("hosts")[0].GetProperty("group").GetString());
        await AssertAuditedAsync(api, "policy.update", "policy", outcome: "success");
        // The portal shows what the new version grants.
        var alice = await stack.SignInAsync("alice");
        Assert.Contains("15m / 2h", await alice.Locator("main table").First.InnerTextAsync());
    }

    [RequiresBrowserFact]
    public async Task AdminFiltersTheAuditLogAndVerifiesTheChain()
    {
        await stack.IssueCertificateAsync("alice");
        var page = await stack.SignInAsync("bob");
        using var api = await stack.ApiAsAsync("bob");
        await page.GotoAsync(stack.WebUrl + "/admin/audit");
        await page.FillAsync("#kind", "certificate.issue");
        await page.ClickAsync("form.filters button[type=submit]");
        var kinds = await page.Locator("tbody tr td:nth-child(3)").AllInnerTextsAsync();
        Assert.NotEmpty(kinds);
        Assert.All(kinds, k => Assert.Equal("certificate.issue", k));

        await page.ClickAsync("button:text('Verify the chain now')");
        Assert.Contains("intact", await page.Locator("#chain-status").InnerTextAsync());
        await AssertAuditedAsync(api, "audit.verify", null);
        await WebStack.ScreenshotAsync(page, "admin-audit");
    }

    [RequiresBrowserFact]
    public async Task AdminMintsAHostTokenAndSeesTheCaKeys()
    {
        var page = await stack.SignInAsync("bob");
        using var api = await stack.ApiAsAsync("bob");
        await page.GotoAsync(stack.WebUrl + "/admin/hosts");
        await page.FillAsync("#groups", "web");
        await page.ClickAsync("button:text('Mint a token')");
        Assert.StartsWith("beacon-host-", (await page.Locator("#host-token").InnerTextAsync()).Trim());
        await AssertAuditedAsync(api, "host_token.create", null);
        await WebStack.ScreenshotAsync(page, "admin-hosts");

        await page.GotoAsync(stack.WebUrl + "/admin/ca");
        var text = await page.Locator("table").InnerTextAsync();
        Assert.Contains("user", text);
        Assert.Contains("host", text);
        Assert.Contains("SHA256:", text);
        var before = (await WebStack.JsonAsync(api, "/v1/admin/ca/keys")).GetProperty("keys").EnumerateArray()
            .Count(k => k.GetProperty("kind").GetString() == "user");
        await page.ClickAsync("button[aria-label='Rotate the user CA']");
        Assert.Contains("user CA", await page.Locator("[role=status]").InnerTextAsync());
        var keys = (await WebStack.JsonAsync(api, "/v1/admin/ca/keys")).GetProperty("keys").EnumerateArray()
            .Where(k => k.GetProperty("kind").GetString() == "user").ToList();
        Assert.Equal(before + 1, keys.Count);
        Assert.Contains(keys, k => k.GetProperty("state").GetString() == "next");
        await AssertAuditedAsync(api, "ca.rotate", null);
        Assert.Contains("next", await page.Locator("table").InnerTextAsync());
        Assert.NotEmpty((await page.Locator("#bundle-version").InnerTextAsync()).Trim());
        await WebStack.ScreenshotAsync(page, "admin-ca");
    }

    [RequiresBrowserFact]
    public async Task FormPostWithoutTheAntiforgeryTokenIsRefused()
    {
        var page = await stack.SignInAsync("bob");
        using var api = await stack.ApiAsAsync("bob");
        await stack.IssueCertificateAsync("alice");
        foreach (var (path, field) in new[] { ("/admin/users?handler=Disable", "username"), ("/admin/users?handler=RevokeAll", "username"), ("/admin/policies", "BaseVersion") })
        {
            // The signed-in admin's own cookie, but no token: what a cross-site form would send.
            var post = await page.APIRequest.PostAsync(stack.WebUrl + path, new APIRequestContextOptions
            {
                Form = PortalTests.FormOf(page.APIRequest, (field, "alice")),
                MaxRedirects = 0,
            });
            Assert.True(post.Status == 400, $"{path}: {post.Status}");
        }
        var users = await WebStack.JsonAsync(api, "/v1/admin/users?q=alice");
        Assert.False(users.GetProperty("items")[0].GetProperty("disabled").GetBoolean());
        Assert.NotEqual(0, (await WebStack.JsonAsync(api, "/v1/admin/certificates?user=alice&status=live")).GetProperty("items").GetArrayLength());
    }

    private static async Task<int> RuleIndexAsync(IPage page, string name)
    {
        for (var i = 0; ; i++)
        {
            var input = page.Locator($"#rule-{i}-name");
            if (await input.CountAsync() == 0)
            {
                throw new InvalidOperationException($"no policy {name} in the editor");
            }
            if (await input.InputValueAsync() == name)
            {
                return i;
            }
        }
    }

    /// <summary>The newest matching audit event was written by bob.</summary>
    private static async Task AssertAuditedAsync(HttpClient api, string kind, string? subject, string outcome = "success")
    {
        var query = $"/v1/admin/audit?kind={kind}&outcome={outcome}&actor=corp:bob&limit=1" + (subject is null ? "" : $"&subject={subject}");
        var events = (await WebStack.JsonAsync(api, query)).GetProperty("items");
        Assert.True(events.GetArrayLength() == 1, $"no {outcome} {kind} event by corp:bob");
    }
}
