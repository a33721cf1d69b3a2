using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Client;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Microsoft.Playwright;

namespace Beacon.Web.Tests;

/// <summary>
/// Everything real, on loopback ports: the OpenID provider (npm oidc-provider; alice is a developer, bob
/// is in ops), beacon-server (ops are admins) and beacon-web, and headless Chromium driven by Playwright.
/// </summary>
public sealed class WebStack : IAsyncLifetime
{
    public const string ProviderName = "corp";

    /// <summary>Chromium's flags on these machines (see ENVIRONMENT.md).</summary>
    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;

    public OidcProviderServer Provider { get; private set; } = null!;

    public ServerProcess Server { get; private set; } = null!;

    public WebProcess Web { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string WebUrl => Web.Url;

    /// <summary>Why these tests cannot run here, or null.</summary>
    public static string? Missing() =>
        OidcProviderServer.MissingTools() ?? (File.Exists("/usr/bin/chromium") ? null : "chromium (apt-get install chromium)");

    public async Task InitializeAsync()
    {
        if (Missing() is not null)
        {
            return;
        }
        var webUrl = $"http://127.0.0.1:{FreePort.Next()}";
        Provider = OidcProviderServer.Start(new Dictionary<string, string>
        {
            ["BEACON_WEB_REDIRECT_URIS"] = webUrl + "/signin-oidc",
            ["BEACON_WEB_POST_LOGOUT_URIS"] = webUrl + "/signed-out",
        });
        Server = ServerProcess.Start(new Dictionary<string, string?>
        {
            [$"Beacon__Providers__{ProviderName}__Type"] = "oidc",
            [$"Beacon__Providers__{ProviderName}__Issuer"] = Provider.Issuer,
            [$"Beacon__Providers__{ProviderName}__Validation"] = "local",
            [$"Beacon__Providers__{ProviderName}__Audiences__0"] = OidcProviderServer.ApiAudience,
            [$"Beacon__Providers__{ProviderName}__AllowHttp"] = "true",
            ["Beacon__Admin__Groups__0"] = "ops",
            ["Beacon__Policy__Policies__1__Name"] = "developers",
            ["Beacon__Policy__Policies__1__Subjects__0__Provider"] = ProviderName,
            ["Beacon__Policy__Policies__1__Subjects__0__Groups__0"] = "developers",
            ["Beacon__Policy__Policies__1__Principals__0"] = "{username}",
            ["Beacon__Policy__Policies__1__DefaultTtl"] = "15m",
            ["Beacon__Policy__Policies__1__MaxTtl"] = "1h",
            ["Beacon__Policy__Hosts__0__Group"] = "web",
            ["Beacon__Policy__Hosts__0__Names__0"] = "*.example.test",
        });
        Web = WebProcess.Start(webUrl, new Dictionary<string, string>
        {
            ["Web__ServerUrl"] = Server.Url,
            ["Web__ServerFingerprint"] = Server.Fingerprint,
            ["Web__Authority"] = Provider.Issuer,
            ["Web__ClientId"] = "beacon-web",
            ["Web__ClientSecret"] = "beacon-web-secret",
            ["Web__Scopes__0"] = "profile",
            ["Web__Scopes__1"] = "email",
            ["Web__Scopes__2"] = "groups",
            ["Web__Scopes__3"] = "api",
            ["Web__Resource"] = OidcProviderServer.ApiResource,
            ["Web__ServerProvider"] = ProviderName,
            ["Web__RequireHttpsMetadata"] = "false",
        });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh browser signed in as the account through the provider's own login and consent pages.</summary>
    public async Task<IPage> SignInAsync(string account)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(WebUrl + "/");
        Assert.StartsWith(Provider.Issuer, page.Url);
        await page.FillAsync("input[name=login]", account);
        await page.FillAsync("input[name=password]", "any");
        // Each click starts a navigation; wait for it before looking at the next page, or a loaded machine
        // looks at the page being left.
        await SubmitAndLeaveAsync(page);
        for (var step = 0; step < 3 && !page.Url.StartsWith(WebUrl, StringComparison.Ordinal); step++)
        {
            if (page.Url.StartsWith(Provider.Issuer + "/interaction/", StringComparison.Ordinal))
            {
                // The provider's consent page: allow.
                await SubmitAndLeaveAsync(page);
            }
            else
            {
                // Redirects and the provider's form post back to beacon-web are still under way.
                await page.WaitForURLAsync(url => url.StartsWith(WebUrl, StringComparison.Ordinal));
            }
        }
        await page.WaitForURLAsync(url => url.StartsWith(WebUrl, StringComparison.Ordinal));
        Assert.StartsWith(WebUrl, page.Url);
        return page;
    }

    /// <summary>Clicks the page's submit button and waits until the browser has left that page.</summary>
    private static async Task SubmitAndLeaveAsync(IPage page)
    {
        var from = page.Url;
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => url != from);
    }

    /// <summary>An access token for the account (device flow, JWT for beacon-api), to check through the API what the pages did.</summary>
    public async Task<HttpClient> ApiAsAsync(string account)
    {
        var token = (await Provider.DeviceFlowAsync(account, jwt: true)).AccessToken;
        var client = Server.CreateClient(token);
        client.DefaultRequestHeaders.Add("Beacon-Provider", ProviderName);
        return client;
    }

    /// <summary>Issues a real certificate to the account through the API; returns its serial.</summary>
    public async Task<string> IssueCertificateAsync(string account)
    {
        var token = (await Provider.DeviceFlowAsync(account, jwt: true)).AccessToken;
        using var client = new BeaconClient(new Uri(Server.Url), Server.Fingerprint);
        using var key = Ed25519PrivateKey.Generate();
        var issued = await client.RequestUserCertificateAsync(token, new CertificateRequest(key.PublicKey), ProviderName);
        return issued.Serial;
    }

    public static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Saves a screenshot under docs/screenshots when BEACON_SCREENSHOTS=1 (how the committed ones were made), else in a temp folder.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Environment.GetEnvironmentVariable("BEACON_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "screenshots")
            : Path.Combine(Path.GetTempPath(), "beacon-web-screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BeaconSsh.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("the repository root (BeaconSsh.slnx) is not above the test assembly");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        Web?.Dispose();
        Server?.Dispose();
        Provider?.Dispose();
    }
}

/// <summary>A fact that needs node (the OpenID provider) and Chromium: skipped locally without them, failed under CI=true.</summary>
public sealed class RequiresBrowserFactAttribute : FactAttribute
{
    public RequiresBrowserFactAttribute()
    {
        if (WebStack.Missing() is { } missing && !OpenSsh.IsCi)
        {
            Skip = $"{missing} missing; run scripts/test, which installs it";
        }
    }
}
