using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Beacon.Server.Identity;

/// <summary>
/// GET requests to GitHub's REST API with one user's token, as GitHub documents them (Bearer token,
/// application/vnd.github+json, X-GitHub-Api-Version, a User-Agent), every answer bounded in size and
/// every failure turned into the refusal it means. Lists follow the Link header's rel="next" up to a cap.
/// </summary>
internal sealed class GitHubApiClient(HttpClient http, Uri apiBase, string token)
{
    public const string ApiVersion = "2022-11-28";

    /// <summary>A sanity bound, not GitHub's: a page of 100 teams is about 300 KB.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    /// <summary>GitHub's largest page size.</summary>
    public const int PerPage = 100;

    /// <summary>A sanity bound: at most this many pages (1,000 organisations or teams) per list.</summary>
    public const int MaxPages = 10;

    private const int MaxMessageLength = 200;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly ProductInfoHeaderValue UserAgent = new("BeaconSSH", typeof(GitHubApiClient).Assembly.GetName().Version?.ToString(3) ?? "1");

    /// <summary>One JSON object from PATH (relative to the API base).</summary>
    public async Task<GitHubAnswer<T>> GetAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        var page = await SendAsync(new Uri(apiBase, path), cancellationToken);
        return page.Failure is { } failure ? new(null, failure) : Deserialize<T>(page.Body!, path);
    }

    /// <summary>
    /// Every item of the paginated list at PATH, following rel="next" links on the API's own host only;
    /// NOUN names what the list holds, for the refusal when it is longer than the cap.
    /// </summary>
    public async Task<GitHubAnswer<List<T?>>> GetAllPagesAsync<T>(string path, string noun, CancellationToken cancellationToken) where T : class
    {
        var items = new List<T?>();
        Uri? next = new Uri(apiBase, $"{path}?per_page={PerPage}");
        for (var pages = 0; next is not null; pages++)
        {
            // A list without end (or a link back to itself) must not keep this request busy forever.
            if (pages == MaxPages)
            {
                return new(null, AuthenticationResult.Forbidden($"GitHub lists more than {MaxPages * PerPage} {noun} for this user; BeaconSSH reads at most that many"));
            }
            var page = await SendAsync(next, cancellationToken);
            if (page.Failure is { } failure)
            {
                return new(null, failure);
            }
            var list = Deserialize<List<T?>>(page.Body!, path);
            if (list.Failure is { } malformed)
            {
                return new(null, malformed);
            }
            items.AddRange(list.Value!);
            var link = LinkHeader.Find(page.Link, "next");
            if (link is null)
            {
                break;
            }
            if (!Uri.TryCreate(next, link, out next) || !IsWithinApi(next))
            {
                // The token goes with every request: a pagination link must not carry it to another host.
                return new(null, AuthenticationResult.Unavailable($"GitHub's pagination link for /{path} leads outside {apiBase}; not followed"));
            }
        }
        return new(items, null);
    }

    private async Task<Page> SendAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.Add("X-GitHub-Api-Version", ApiVersion);
        // GitHub refuses requests without a User-Agent.
        request.Headers.UserAgent.Add(UserAgent);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var endpoint = "GET /" + url.AbsolutePath[apiBase.AbsolutePath.Length..];
        // Read no more than the bound, whatever the server declares or streams: stops a hostile or broken
        // endpoint from making the server allocate or wait for an unbounded body.
        var body = await BoundedHttpContent.ReadAsync(response.Content, MaxResponseBytes, cancellationToken);
        if (body is null)
        {
            return Page.Failed(AuthenticationResult.Unavailable($"GitHub's answer to {endpoint} is larger than {MaxResponseBytes} bytes"));
        }
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var link = response.Headers.TryGetValues("Link", out var values) ? string.Join(", ", values) : null;
            return new Page(body, link, null);
        }
        return Page.Failed(Refusal(response, endpoint, ErrorMessage(body)));
    }

    /// <summary>What a non-200 answer means for the caller: 401 invalid, 403 forbidden, rate limits and the rest unavailable.</summary>
    private static AuthenticationResult Refusal(HttpResponseMessage response, string endpoint, string? message)
    {
        var status = (int)response.StatusCode;
        var said = message is null ? "" : $": {message}";
        if (status is 403 or 429 && RateLimit(response) is { } limit)
        {
            return AuthenticationResult.Unavailable($"GitHub's API rate limit is exhausted ({limit}){said}");
        }
        return status switch
        {
            401 => AuthenticationResult.Invalid($"GitHub does not accept the token{said}"),
            403 => AuthenticationResult.Forbidden($"GitHub refused {endpoint} with this token{said}"),
            _ => AuthenticationResult.Unavailable($"GitHub answered {status} to {endpoint}{said}"),
        };
    }

    /// <summary>A description of the rate limit a 403 or 429 reports, or null when it reports none (as documented by GitHub).</summary>
    private static string? RateLimit(HttpResponseMessage response)
    {
        if (Header(response, "x-ratelimit-remaining") == "0")
        {
            return long.TryParse(Header(response, "x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var reset)
                && reset is > 0 and < 253402300800
                ? "until " + DateTimeOffset.FromUnixTimeSeconds(reset).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                : "primary limit";
        }
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            return retryAfter.Delta is { } delta
                ? $"secondary limit, retry after {(long)delta.TotalSeconds} s"
                : "secondary limit";
        }
        return (int)response.StatusCode == 429 ? "too many requests" : null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;

    /// <summary>GitHub's error body {"message": …}, shortened and stripped of control characters; null when there is none.</summary>
    private static string? ErrorMessage(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                var text = new StringBuilder();
                foreach (var c in message.GetString()!)
                {
                    if (text.Length == MaxMessageLength)
                    {
                        text.Append('…');
                        break;
                    }
                    text.Append(char.IsControl(c) ? ' ' : c);
                }
                return text.ToString();
            }
        }
        catch (JsonException)
        {
            // An HTML error page from a proxy: the status alone says enough.
        }
        return null;
    }

    private static GitHubAnswer<T> Deserialize<T>(byte[] body, string path) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, Json) is { } value
                ? new(value, null)
                : new(null, AuthenticationResult.Unavailable($"GitHub's answer to GET /{path} is null"));
        }
        catch (JsonException)
        {
            return new(null, AuthenticationResult.Unavailable($"GitHub's answer to GET /{path} is not the JSON GitHub documents"));
        }
    }

    private bool IsWithinApi(Uri url) =>
        url.Scheme == apiBase.Scheme
        && string.Equals(url.IdnHost, apiBase.IdnHost, StringComparison.OrdinalIgnoreCase)
        && url.Port == apiBase.Port
        && string.IsNullOrEmpty(url.UserInfo)
        && url.AbsolutePath.StartsWith(apiBase.AbsolutePath, StringComparison.Ordinal);

    private sealed record Page(byte[]? Body, string? Link, AuthenticationResult? Failure)
    {
        public static Page Failed(AuthenticationResult failure) => new(null, null, failure);
    }
}

/// <summary>A value read from GitHub, or the refusal that stands in for it.</summary>
internal sealed record GitHubAnswer<T>(T? Value, AuthenticationResult? Failure) where T : class;
