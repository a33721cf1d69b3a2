using System.Net.Http.Headers;
using System.Text.Json;
using Beacon.Server.Hosting;
using Beacon.Server.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Beacon.Server.Tests.Fixtures;

/// <summary>The double's device flow behaves as GitHub documents it, so a client tested against it works against GitHub.</summary>
public sealed class GitHubDeviceFlowDoubleTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-22T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly HttpClient _http = new();
    private GitHubApiDouble _github = null!;
    private GitHubUser _octocat = null!;

    public async Task InitializeAsync()
    {
        _github = await GitHubApiDouble.StartAsync(clock: _clock);
        _octocat = _github.AddUser("octocat");
        _github.AddMember(_github.AddOrganization("acme"), _octocat);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task ApprovedDeviceGetsATokenTheApiAccepts()
    {
        var code = await RequestCodeAsync("read:org");
        Assert.Equal(40, code.GetProperty("device_code").GetString()!.Length);
        Assert.Matches("^[A-Z0-9]{4}-[A-Z0-9]{4}$", code.GetProperty("user_code").GetString());
        Assert.Equal(_github.WebUrl + "/login/device", code.GetProperty("verification_uri").GetString());
        Assert.Equal(900, code.GetProperty("expires_in").GetInt32());
        Assert.Equal(5, code.GetProperty("interval").GetInt32());

        Assert.Equal("authorization_pending", Error(await PollAsync(code)));
        _clock.Advance(TimeSpan.FromSeconds(5));
        _github.ApproveDevice(code.GetProperty("user_code").GetString()!, _octocat);
        var token = await PollAsync(code);

        Assert.Equal("bearer", token.GetProperty("token_type").GetString());
        Assert.Equal("read:org", token.GetProperty("scope").GetString());
        var accessToken = token.GetProperty("access_token").GetString()!;
        var provider = new GitHubProvider("github", new ProviderOptions { Type = "github", ApiUrl = _github.ApiUrl, AllowHttp = true }, _http);
        Assert.True(provider.Claims(accessToken));
        var identity = await provider.AuthenticateAsync(accessToken, new AuthenticationContext(null), CancellationToken.None);
        Assert.True(identity.Succeeded, identity.Reason);
        Assert.Equal(["acme"], identity.Identity!.Groups);
    }

    [Fact]
    public async Task PollingFasterThanTheIntervalGetsSlowDownWithTheNewInterval()
    {
        var code = await RequestCodeAsync("read:org");
        await PollAsync(code);
        _clock.Advance(TimeSpan.FromSeconds(4));

        var answer = await PollAsync(code);

        Assert.Equal("slow_down", Error(answer));
        Assert.Equal(10, answer.GetProperty("interval").GetInt32());
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("slow_down", Error(await PollAsync(code)));
        _clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("authorization_pending", Error(await PollAsync(code)));
    }

    [Fact]
    public async Task ExpiredDeviceCodeGetsExpiredToken()
    {
        var code = await RequestCodeAsync("read:org");
        _clock.Advance(TimeSpan.FromSeconds(900));

        Assert.Equal("expired_token", Error(await PollAsync(code)));
    }

    [Fact]
    public async Task DeniedDeviceGetsAccessDenied()
    {
        var code = await RequestCodeAsync("read:org");
        _github.DenyDevice(code.GetProperty("user_code").GetString()!);

        Assert.Equal("access_denied", Error(await PollAsync(code)));
    }

    [Fact]
    public async Task RedeemedDeviceCodeCannotBeRedeemedAgain()
    {
        _github.AutoApproveDevicesAs = _octocat;
        var code = await RequestCodeAsync("read:org");
        Assert.True((await PollAsync(code)).TryGetProperty("access_token", out _));
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("incorrect_device_code", Error(await PollAsync(code)));
    }

    [Theory]
    [InlineData("wrong grant type", "client", "device", "authorization_code", "unsupported_grant_type")]
    [InlineData("unknown client", "nobody", "device", GitHubApiDouble.DeviceGrantType, "incorrect_client_credentials")]
    [InlineData("unknown device code", "client", "0000", GitHubApiDouble.DeviceGrantType, "incorrect_device_code")]
    public async Task BadPollsGetTheDocumentedError(string description, string clientId, string deviceCode, string grantType, string error)
    {
        var code = await RequestCodeAsync("read:org");
        var answer = await PostJsonAsync("/login/oauth/access_token", new Dictionary<string, string>
        {
            ["client_id"] = clientId == "client" ? _github.OAuthClientId : clientId,
            ["device_code"] = deviceCode == "device" ? code.GetProperty("device_code").GetString()! : deviceCode,
            ["grant_type"] = grantType,
        });

        Assert.True(Error(answer) == error, description);
        Assert.True(answer.TryGetProperty("error_description", out _));
        Assert.True(answer.TryGetProperty("error_uri", out _));
    }

    [Fact]
    public async Task DisabledDeviceFlowIsRefused()
    {
        _github.DeviceFlowEnabled = false;

        Assert.Equal("device_flow_disabled", Error(await PostJsonAsync("/login/device/code", new Dictionary<string, string> { ["client_id"] = _github.OAuthClientId })));
    }

    [Fact]
    public async Task WithoutAcceptJsonTheAnswerIsFormEncoded()
    {
        using var response = await _http.PostAsync(_github.WebUrl + "/login/device/code",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = _github.OAuthClientId, ["scope"] = "read:org" }));

        Assert.Equal("application/x-www-form-urlencoded", response.Content.Headers.ContentType!.MediaType);
        var fields = (await response.Content.ReadAsStringAsync()).Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal(["device_code", "user_code", "verification_uri", "expires_in", "interval"], fields.Keys);
        Assert.Equal(_github.WebUrl + "/login/device", fields["verification_uri"]);
    }

    private async Task<JsonElement> RequestCodeAsync(string scope) =>
        await PostJsonAsync("/login/device/code", new Dictionary<string, string> { ["client_id"] = _github.OAuthClientId, ["scope"] = scope });

    private async Task<JsonElement> PollAsync(JsonElement code) =>
        await PostJsonAsync("/login/oauth/access_token", new Dictionary<string, string>
        {
            ["client_id"] = _github.OAuthClientId,
            ["device_code"] = code.GetProperty("device_code").GetString()!,
            ["grant_type"] = GitHubApiDouble.DeviceGrantType,
        });

    private async Task<JsonElement> PostJsonAsync(string path, Dictionary<string, string> form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _github.WebUrl + path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(request);
        // GitHub answers the device flow's errors with 200 too.
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static string? Error(JsonElement answer) => answer.TryGetProperty("error", out var error) ? error.GetString() : null;
}
