using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Beacon.Testing;

/// <summary>
/// Drives oidc-provider's device flow over its public endpoints, playing the user in a browser: the
/// verification page, the development login form, the consent form; then polls the token endpoint.
/// </summary>
public sealed partial class OidcDeviceFlowDriver(string issuer)
{
    public async Task<DeviceFlowTokens> RunAsync(string account, bool jwt)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true });
        var device = await PostFormAsync(http, $"{issuer}/device/auth", Authorization(jwt));
        var verification = device.GetProperty("verification_uri_complete").GetString()!;
        await ApproveAsync(http, verification, account);
        return await PollAsync(http, device.GetProperty("device_code").GetString()!);
    }

    /// <summary>The device authorization request's form fields.</summary>
    public static List<KeyValuePair<string, string>> Authorization(bool jwt)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("client_id", OidcProviderServer.CliClientId),
            new("scope", jwt ? "openid profile email groups api" : "openid profile email groups"),
        };
        if (jwt)
        {
            fields.Add(new("resource", OidcProviderServer.ApiResource));
        }
        return fields;
    }

    /// <summary>Plays the user: submits the verification, login and consent forms in turn.</summary>
    public static async Task ApproveAsync(HttpClient http, string verificationUri, string account)
    {
        var html = await http.GetStringAsync(verificationUri);
        for (var step = 0; step < 6 && FormAction().Match(html) is { Success: true } form; step++)
        {
            var fields = HiddenInput().Matches(html).Select(m => new KeyValuePair<string, string>(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();
            if (html.Contains("name=\"login\"", StringComparison.Ordinal))
            {
                fields.Add(new("login", account));
                fields.Add(new("password", "any"));
            }
            else if (step == 0)
            {
                fields.Add(new("confirm", "yes"));
            }
            using var response = await http.PostAsync(WebUtility.HtmlDecode(form.Groups[1].Value), new FormUrlEncodedContent(fields));
            html = await response.Content.ReadAsStringAsync();
        }
        if (!html.Contains("Sign-in Success", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the device flow's user step did not end in success");
        }
    }

    private async Task<DeviceFlowTokens> PollAsync(HttpClient http, string deviceCode)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var response = await http.PostAsync($"{issuer}/token", new FormUrlEncodedContent(
            [
                new("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                new("device_code", deviceCode),
                new("client_id", OidcProviderServer.CliClientId),
            ]));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = json.RootElement;
            if (response.IsSuccessStatusCode)
            {
                return new DeviceFlowTokens(root.GetProperty("access_token").GetString()!,
                    root.TryGetProperty("id_token", out var id) ? id.GetString() : null,
                    root.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
                    root.GetProperty("expires_in").GetInt32());
            }
            if (root.GetProperty("error").GetString() is not ("authorization_pending" or "slow_down"))
            {
                throw new InvalidOperationException($"device flow failed: {root}");
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("the device flow was never approved");
    }

    private static async Task<JsonElement> PostFormAsync(HttpClient http, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var response = await http.PostAsync(url, new FormUrlEncodedContent(fields));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {body}");
        }
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]*)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
