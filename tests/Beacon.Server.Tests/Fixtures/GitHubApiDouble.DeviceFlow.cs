using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Beacon.Server.Tests.Fixtures;

/// <summary>
/// GitHub's OAuth device flow (RFC 8628 as GitHub documents it in "Authorizing OAuth apps"), at WebUrl
/// like github.com: POST /login/device/code gives a device code, a user code and an interval; POST
/// /login/oauth/access_token answers authorization_pending, slow_down (interval + 5 s, the new interval in
/// the answer), expired_token, access_denied, incorrect_device_code, incorrect_client_credentials,
/// unsupported_grant_type or device_flow_disabled until the user approves, then an access token that the
/// API double accepts. As GitHub does, errors come with HTTP 200; answers are form-encoded unless the
/// client sends Accept: application/json. The user's side (entering the code in a browser) is done by
/// the test: ApproveDevice, DenyDevice, or AutoApproveDevicesAs.
/// </summary>
public sealed partial class GitHubApiDouble
{
    public const string DeviceGrantType = "urn:ietf:params:oauth:grant-type:device_code";

    private const string DeviceErrorsUrl = "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow";

    private const string UserCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ0123456789";

    private readonly Dictionary<string, DeviceAuthorization> _devices = new(StringComparer.Ordinal);

    /// <summary>The client id of the one OAuth app registered with the double.</summary>
    public string OAuthClientId { get; } = "Ov23li" + RandomBase62(14);

    /// <summary>Whether the app has device flow enabled (GitHub makes it opt-in); when false, device_flow_disabled.</summary>
    public bool DeviceFlowEnabled { get; set; } = true;

    /// <summary>expires_in for new device codes; GitHub's is 900 s.</summary>
    public int DeviceCodeLifetimeSeconds { get; set; } = 900;

    /// <summary>interval for new device codes; GitHub's is 5 s. Tests of a client may lower it.</summary>
    public int DeviceInterval { get; set; } = 5;

    /// <summary>When set, every new device code is approved at once for this user (a test that only drives the client).</summary>
    public GitHubUser? AutoApproveDevicesAs { get; set; }

    /// <summary>User codes still waiting for the user, oldest first.</summary>
    public IReadOnlyList<string> PendingUserCodes
    {
        get
        {
            lock (_lock)
            {
                return [.. _devices.Values.Where(d => d.State == DeviceState.Pending).OrderBy(d => d.ExpiresAt).Select(d => d.UserCode)];
            }
        }
    }

    /// <summary>The user enters the code at /login/device and authorises the app.</summary>
    /// <exception cref="KeyNotFoundException">No device authorization has that user code.</exception>
    public void ApproveDevice(string userCode, GitHubUser user)
    {
        lock (_lock)
        {
            var device = DeviceByUserCode(userCode);
            device.State = DeviceState.Approved;
            device.User = user;
        }
    }

    /// <summary>The user clicks cancel: the next poll gets access_denied.</summary>
    /// <exception cref="KeyNotFoundException">No device authorization has that user code.</exception>
    public void DenyDevice(string userCode)
    {
        lock (_lock)
        {
            DeviceByUserCode(userCode).State = DeviceState.Denied;
        }
    }

    private DeviceAuthorization DeviceByUserCode(string userCode) =>
        _devices.Values.FirstOrDefault(d => d.UserCode == userCode) ?? throw new KeyNotFoundException($"no device authorization has user code {userCode}");

    private void MapDeviceFlow()
    {
        _app.MapPost("/login/device/code", RequestDeviceCodeAsync);
        _app.MapPost("/login/oauth/access_token", PollAccessTokenAsync);
    }

    private async Task RequestDeviceCodeAsync(HttpContext context)
    {
        var parameters = await ParametersAsync(context.Request);
        if (parameters.GetValueOrDefault("client_id") != OAuthClientId)
        {
            await WriteOAuthAsync(context, DeviceError("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect."));
            return;
        }
        if (!DeviceFlowEnabled)
        {
            await WriteOAuthAsync(context, DeviceError("device_flow_disabled", "Device Flow must be explicitly enabled for this App"));
            return;
        }
        var device = new DeviceAuthorization
        {
            DeviceCode = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)),
            UserCode = RandomUserCode(4) + "-" + RandomUserCode(4),
            Scope = string.Join(',', (parameters.GetValueOrDefault("scope") ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)),
            ExpiresAt = _clock.GetUtcNow().AddSeconds(DeviceCodeLifetimeSeconds),
            Interval = DeviceInterval,
        };
        if (AutoApproveDevicesAs is { } user)
        {
            device.State = DeviceState.Approved;
            device.User = user;
        }
        lock (_lock)
        {
            _devices.Add(device.DeviceCode, device);
        }
        await WriteOAuthAsync(context, new Dictionary<string, object?>
        {
            ["device_code"] = device.DeviceCode,
            ["user_code"] = device.UserCode,
            ["verification_uri"] = WebUrl + "/login/device",
            ["expires_in"] = DeviceCodeLifetimeSeconds,
            ["interval"] = device.Interval,
        });
    }

    private async Task PollAccessTokenAsync(HttpContext context)
    {
        var parameters = await ParametersAsync(context.Request);
        if (parameters.GetValueOrDefault("grant_type") != DeviceGrantType)
        {
            await WriteOAuthAsync(context, DeviceError("unsupported_grant_type", "The grant type is not supported."));
            return;
        }
        if (parameters.GetValueOrDefault("client_id") != OAuthClientId)
        {
            await WriteOAuthAsync(context, DeviceError("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect."));
            return;
        }
        if (!DeviceFlowEnabled)
        {
            await WriteOAuthAsync(context, DeviceError("device_flow_disabled", "Device Flow must be explicitly enabled for this App"));
            return;
        }
        Dictionary<string, object?> answer;
        lock (_lock)
        {
            answer = Poll(parameters.GetValueOrDefault("device_code") ?? "");
        }
        await WriteOAuthAsync(context, answer);
    }

    /// <summary>One poll of one device code, under the lock.</summary>
    private Dictionary<string, object?> Poll(string deviceCode)
    {
        var now = _clock.GetUtcNow();
        if (!_devices.TryGetValue(deviceCode, out var device) || device.State == DeviceState.Redeemed)
        {
            return DeviceError("incorrect_device_code", "The device_code provided is not valid.");
        }
        if (now >= device.ExpiresAt)
        {
            return DeviceError("expired_token", "The device_code has expired.");
        }
        if (device.State == DeviceState.Denied)
        {
            return DeviceError("access_denied", "The authorization request was denied.");
        }
        // Polling faster than the interval costs 5 more seconds, and the answer says the new interval.
        var tooSoon = device.LastPoll is { } last && now - last < TimeSpan.FromSeconds(device.Interval);
        device.LastPoll = now;
        if (tooSoon)
        {
            device.Interval += 5;
            var slowDown = DeviceError("slow_down", "Too many requests have been made in the same timeframe.");
            slowDown["interval"] = device.Interval;
            return slowDown;
        }
        if (device.State == DeviceState.Pending)
        {
            return DeviceError("authorization_pending", "The authorization request is still pending.");
        }
        device.State = DeviceState.Redeemed;
        var token = "gho_" + RandomBase62(36);
        _tokens[token] = (device.User!, device.Scope);
        return new Dictionary<string, object?>
        {
            ["access_token"] = token,
            ["token_type"] = "bearer",
            ["scope"] = device.Scope,
        };
    }

    private static Dictionary<string, object?> DeviceError(string code, string description) => new()
    {
        ["error"] = code,
        ["error_description"] = description,
        ["error_uri"] = DeviceErrorsUrl,
    };

    /// <summary>Parameters from the query string, a form body or a JSON object body, as GitHub accepts them.</summary>
    private static async Task<Dictionary<string, string>> ParametersAsync(HttpRequest request)
    {
        var parameters = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync())
            {
                parameters[key] = value.ToString();
            }
        }
        else if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(request.Body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in document.RootElement.EnumerateObject())
                    {
                        parameters[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                    }
                }
            }
            catch (JsonException)
            {
                // A malformed body contributes nothing; the missing parameters are the answer.
            }
        }
        return parameters;
    }

    /// <summary>JSON when the client accepts it, otherwise GitHub's default application/x-www-form-urlencoded; always HTTP 200.</summary>
    private static async Task WriteOAuthAsync(HttpContext context, Dictionary<string, object?> answer)
    {
        var response = context.Response;
        response.StatusCode = 200;
        if (context.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(JsonSerializer.Serialize(answer));
            return;
        }
        response.ContentType = "application/x-www-form-urlencoded; charset=utf-8";
        await response.WriteAsync(string.Join('&', answer.Select(kv =>
            Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? ""))));
    }

    private static string RandomUserCode(int length) => string.Create(length, 0, (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = UserCodeAlphabet[RandomNumberGenerator.GetInt32(UserCodeAlphabet.Length)];
        }
    });

    private enum DeviceState
    {
        Pending,
        Approved,
        Denied,
        Redeemed,
    }

    private sealed class DeviceAuthorization
    {
        public required string DeviceCode { get; init; }

        public required string UserCode { get; init; }

        public required string Scope { get; init; }

        public required DateTimeOffset ExpiresAt { get; init; }

        public int Interval { get; set; }

        public DateTimeOffset? LastPoll { get; set; }

        public DeviceState State { get; set; }

        public GitHubUser? User { get; set; }
    }
}
