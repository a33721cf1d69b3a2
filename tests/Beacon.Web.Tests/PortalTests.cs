using System.Net;
using Microsoft.Playwright;

namespace Beacon.Web.Tests;

/// <summary>What every signed-in person sees, and what a non-admin or a signed-out visitor cannot do.</summary>
[Collection(WebCollection.Name)]
public sealed class PortalTests(WebStack stack)
{
    private static readonly string[] AdminPages = ["/admin/users", "/admin/certificates", "/admin/policies", "/admin/audit", "/admin/hosts", "/admin/ca"];

    [RequiresBrowserFact]
    public async Task DeveloperSeesIdentityHistoryAndSetupButNoAdminLinks()
    {
        var serial = await stack.IssueCertificateAsync("alice");
        var page = await stack.SignInAsync("alice");

        var index = await page.GotoAsync(stack.WebUrl + "/");
        Assert.Equal(200, index!.Status);
        Assert.Contains("alice@example.test", await page.ContentAsync());
        Assert.Equal("user", await page.Locator("dt:text('Role') + dd").InnerTextAsync());
        Assert.Contains(serial, await page.Locator("main").InnerTextAsync());
        Assert.Equal(0, await page.Locator("nav[aria-label=Administration]").CountAsync());
        await WebStack.ScreenshotAsync(page, "portal-me");

        await page.GotoAsync(stack.WebUrl + "/history");
        Assert.Contains(serial, await page.Locator("table").InnerTextAsync());
        await page.SelectOptionAsync("#status", "revoked");
        await page.ClickAsync("form.filters button[type=submit]");
        Assert.Contains("status=revoked", page.Url);
        Assert.DoesNotContain(serial, await page.Locator("main").InnerTextAsync());
        await page.GotoAsync(stack.WebUrl + "/history");
        await WebStack.ScreenshotAsync(page, "portal-history");

        await page.GotoAsync(stack.WebUrl + "/setup");
        Assert.Contains(stack.Server.Url, await page.Locator("#server-url").InnerTextAsync());
        Assert.Equal(stack.Server.Fingerprint, (await page.Locator("#server-fingerprint").InnerTextAsync()).Replace(":", ""));
        Assert.Contains("@cert-authority", await page.Locator("main").InnerTextAsync());
        Assert.Contains($"beacon init --server {stack.Server.Url} --fingerprint {stack.Server.Fingerprint}", await page.Locator("pre.copy").First.InnerTextAsync());
        await WebStack.ScreenshotAsync(page, "portal-setup");
    }

    [RequiresBrowserFact]
    public async Task NonAdminGets403OnEveryAdminPageAndEveryAdminApiCall()
    {
        var page = await stack.SignInAsync("alice");
        foreach (var path in AdminPages)
        {
            var response = await page.GotoAsync(stack.WebUrl + path);
            Assert.True(403 == response!.Status, $"{path}: {response.Status}");
            Assert.Contains("Forbidden", await page.Locator("h1").InnerTextAsync());
        }
        // The same refusal for the page's actions: a real form post with a valid anti-forgery token.
        await page.GotoAsync(stack.WebUrl + "/");
        var token = await page.Locator("form[action='/signout'] input[name=__RequestVerificationToken]").GetAttributeAsync("value");
        foreach (var (path, field, value) in new[]
        {
            ("/admin/users?handler=Disable", "username", "bob"), ("/admin/users?handler=RevokeAll", "username", "bob"),
            ("/admin/certificates?handler=Revoke", "serial", "1"), ("/admin/ca?handler=Step", "kind", "user"), ("/admin/hosts?handler=Token", "groups", "web"),
        })
        {
            var post = await page.APIRequest.PostAsync(stack.WebUrl + path, new APIRequestContextOptions
            {
                Form = FormOf(page.APIRequest, (field, value), ("__RequestVerificationToken", token!)),
                MaxRedirects = 0,
            });
            Assert.True(post.Status == 403, $"{path}: {post.Status}");
        }

        using var api = await stack.ApiAsAsync("alice");
        var calls = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, "/v1/admin/users"), (HttpMethod.Post, "/v1/admin/users/bob/disable"), (HttpMethod.Post, "/v1/admin/users/bob/enable"),
            (HttpMethod.Get, "/v1/admin/certificates"), (HttpMethod.Get, "/v1/admin/certificates/1"), (HttpMethod.Get, "/v1/admin/audit"),
            (HttpMethod.Post, "/v1/admin/audit/verify"), (HttpMethod.Get, "/v1/admin/policies"), (HttpMethod.Get, "/v1/admin/policies/1"),
            (HttpMethod.Post, "/v1/admin/policies"), (HttpMethod.Post, "/v1/admin/revocations"),
            (HttpMethod.Get, "/v1/admin/hosts"), (HttpMethod.Post, "/v1/admin/host-tokens"), (HttpMethod.Get, "/v1/admin/ca/keys"),
            (HttpMethod.Post, "/v1/admin/ca/user/rotate"), (HttpMethod.Get, "/v1/admin/trust/bundle/draft"),
        };
        foreach (var (method, path) in calls)
        {
            using var request = new HttpRequestMessage(method, path);
            if (method == HttpMethod.Post)
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }
            using var response = await api.SendAsync(request);
            Assert.True(HttpStatusCode.Forbidden == response.StatusCode, $"{method} {path}: {(int)response.StatusCode}");
        }
        using var bob = await stack.ApiAsAsync("bob");
        var refusals = await WebStack.JsonAsync(bob, "/v1/admin/audit?outcome=refused&actor=corp:alice&limit=200");
        Assert.True(refusals.GetProperty("items").GetArrayLength() >= calls.Length);
    }

    [RequiresBrowserFact]
    public async Task SignedOutVisitorsAreSentToSignIn()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        foreach (var path in AdminPages.Concat(["/", "/history", "/setup"]))
        {
            using var response = await http.GetAsync(stack.WebUrl + path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith(stack.Provider.Issuer + "/auth", response.Headers.Location!.ToString());
        }
    }

    [RequiresBrowserFact]
    public async Task EveryPageCarriesTheStrictHeaders()
    {
        var page = await stack.SignInAsync("alice");
        var response = await page.GotoAsync(stack.WebUrl + "/");
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"]);
        Assert.Contains("default-src 'none'", headers["content-security-policy"]);
        Assert.DoesNotContain("unsafe-inline", headers["content-security-policy"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        Assert.Equal(0, await page.Locator("script").CountAsync());
    }

    [RequiresBrowserFact]
    public async Task SigningOutEndsTheSession()
    {
        var page = await stack.SignInAsync("alice");
        await page.ClickAsync("form[action='/signout'] button");
        Assert.EndsWith("/signed-out", page.Url);
        Assert.Equal("Signed out", await page.Locator("h1").InnerTextAsync());
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var cookies = await page.Context.CookiesAsync([stack.WebUrl]);
        Assert.DoesNotContain(cookies, c => c.Name.StartsWith("beacon-web", StringComparison.Ordinal));
    }

    internal static IFormData FormOf(IAPIRequestContext request, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }
        return form;
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebStack>
{
    public const string Name = "web stack";
}
