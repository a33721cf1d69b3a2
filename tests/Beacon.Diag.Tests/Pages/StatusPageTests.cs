using Beacon.Diag.Pages;
using Beacon.Diag.Storage;
using Beacon.Diag.Tests.Fixtures;

namespace Beacon.Diag.Tests.Pages;

public sealed class StatusPageTests
{
    [Fact]
    public async Task PageHasAStrictCspAndNoScript()
    {
        using var factory = new DiagFactory();
        using var client = factory.CreateClient();
        (await Batches.PostAsync(client, Batches.Valid())).Dispose();
        using var response = await client.GetAsync("/");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<td>inspect</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryValueIsHtmlEncoded()
    {
        var now = DateTimeOffset.UnixEpoch;
        var html = StatusPage.Render(now,
            [new CommandStats("<b>cmd</b>", 2, 1, 3, 4)],
            [new StoredAlert(1, "r<1>", "failure-rate", "\"><script>alert(1)</script>", "a & b <i>", now, null)]);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>cmd", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("a &amp; b", html, StringComparison.Ordinal);
    }
}
