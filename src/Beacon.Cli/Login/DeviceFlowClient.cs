using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Beacon.Cli.Login;

/// <summary>
/// The OAuth 2.0 device authorization grant (RFC 8628) as a client: ask for a device code, show the
/// user the code and where to enter it, then poll the token endpoint at the given interval, slowing by
/// 5 s on slow_down (section 3.5), until a token, expired_token, access_denied or the code's expiry.
/// Works with OpenID providers (JSON, HTTP 400 for errors) and GitHub (HTTP 200 for errors).
/// </summary>
internal sealed class DeviceFlowClient(HttpClient http, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>Sanity bounds, not in the RFC: a provider cannot keep us polling for hours or faster than once a second.</summary>
    private static readonly TimeSpan MaxExpiry = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;

    /// <exception cref="CliException">The provider is unreachable or refused the request.</exception>
    public async Task<DeviceAuthorization> AuthorizeAsync(DeviceFlowEndpoints endpoints, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>> { new("client_id", endpoints.ClientId) };
        fields.AddRange(endpoints.ExtraParameters);
        var (status, json) = await PostAsync(endpoints, endpoints.DeviceAuthorization, fields, cancellationToken);
        using (json)
        {
            var root = json.RootElement;
            if (String(root, "error") is { } error)
            {
                throw new CliException($"the identity provider refused to start the login: {Describe(root, error)}");
            }
            if (status is < 200 or >= 300)
            {
                throw new CliException($"the identity provider refused to start the login: HTTP {status}");
            }
            var deviceCode = String(root, "device_code");
            var userCode = String(root, "user_code");
            var verification = String(root, "verification_uri") ?? String(root, "verification_url");
            if (deviceCode is null || userCode is null || verification is null)
            {
                throw new CliException("the identity provider's device authorization answer lacks device_code, user_code or verification_uri");
            }
            var expires = Seconds(root, "expires_in") ?? TimeSpan.FromMinutes(5);
            var interval = Seconds(root, "interval") ?? TimeSpan.FromSeconds(5);
            return new DeviceAuthorization(deviceCode, userCode, verification, String(root, "verification_uri_complete"),
                expires > MaxExpiry ? MaxExpiry : expires, interval < MinInterval ? MinInterval : interval);
        }
    }

    /// <summary>Polls until the user approves; <paramref name="progress"/> is called before each wait.</summary>
    /// <exception cref="CliException">Denied, expired, unreachable, or another OAuth error.</exception>
    public async Task<DeviceFlowTokens> PollAsync(DeviceFlowEndpoints endpoints, DeviceAuthorization authorization, Action<TimeSpan> progress,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + authorization.ExpiresIn;
        var interval = authorization.Interval;
        while (true)
        {
            if (clock.GetUtcNow() + interval > deadline)
            {
                throw new CliException("the login code expired before it was approved; run `beacon login` again");
            }
            progress(interval);
            await _delay(interval, cancellationToken);
            var (status, json) = await PostAsync(endpoints, endpoints.Token,
            [
                new("grant_type", GrantType),
                new("device_code", authorization.DeviceCode),
                new("client_id", endpoints.ClientId),
            ], cancellationToken);
            using (json)
            {
                var root = json.RootElement;
                var error = String(root, "error");
                if (error is null && status is >= 200 and < 300 && String(root, "access_token") is { } token)
                {
                    return new DeviceFlowTokens(token, Seconds(root, "expires_in"));
                }
                switch (error)
                {
                    case "authorization_pending":
                        continue;
                    case "slow_down":
                        // RFC 8628 3.5: add 5 seconds to this and every later poll; GitHub also says the new interval.
                        var raised = interval + TimeSpan.FromSeconds(5);
                        interval = Seconds(root, "interval") is { } said && said > raised ? said : raised;
                        continue;
                    case "expired_token":
                        throw new CliException("the login code expired before it was approved; run `beacon login` again");
                    case "access_denied":
                        throw new CliException("the login was denied at the identity provider");
                    case null:
                        throw new CliException($"the identity provider's token endpoint answered HTTP {status} without a token");
                    default:
                        throw new CliException($"the identity provider refused the login: {Describe(root, error)}");
                }
            }
        }
    }

    private async Task<(int Status, JsonDocument Json)> PostAsync(DeviceFlowEndpoints endpoints, Uri url, IEnumerable<KeyValuePair<string, string>> fields,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        if (endpoints.AcceptJson)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            try
            {
                var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    json.Dispose();
                    throw new JsonException("not an object");
                }
                return ((int)response.StatusCode, json);
            }
            catch (JsonException)
            {
                throw new CliException($"the identity provider at {url.GetLeftPart(UriPartial.Authority)} answered HTTP {(int)response.StatusCode} with no JSON");
            }
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the identity provider at {url.GetLeftPart(UriPartial.Authority)}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the identity provider at {url.GetLeftPart(UriPartial.Authority)} did not answer in time");
        }
    }

    private static string Describe(JsonElement root, string error) =>
        String(root, "error_description") is { } description ? $"{error} ({description})" : error;

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static TimeSpan? Seconds(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }
        // Some providers send numbers as strings; both are accepted, anything else ignored.
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 86_400
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }
}
