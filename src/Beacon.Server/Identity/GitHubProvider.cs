using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Beacon.Server.Hosting;

namespace Beacon.Server.Identity;

/// <summary>
/// GitHub OAuth tokens, checked with GitHub's REST API on every request (no cache): the user, then the
/// organisations and teams they belong to, which become groups "org" and "org/team". GitHub Enterprise
/// or a test double by ApiUrl.
/// </summary>
public sealed class GitHubProvider : IIdentityProvider
{
    /// <summary>Sanity bounds, not GitHub's: response size and pages followed per list.</summary>
    private const int MaxResponseBytes = 1024 * 1024;
    private const int MaxPages = 10;

    private readonly ProviderOptions _options;
    private readonly HttpClient _http;
    private readonly Uri _api;

    public GitHubProvider(string name, ProviderOptions options, HttpClient http)
    {
        Name = name;
        _options = options;
        _http = http;
        _api = new Uri((options.ApiUrl ?? "https://api.github.com").TrimEnd('/') + "/");
        if (_api.Scheme != Uri.UriSchemeHttps && !options.AllowHttp)
        {
            throw new InvalidOperationException($"identity provider \"{name}\": ApiUrl must be https (AllowHttp is for loopback tests)");
        }
    }

    public string Name { get; }

    public string Type => "github";

    public bool Claims(string token) => TokenShape.GitHubTokenPrefixes.Any(p => token.StartsWith(p, StringComparison.Ordinal));

    public async Task<AuthenticationResult> AuthenticateAsync(string token, AuthenticationContext context, CancellationToken cancellationToken)
    {
        try
        {
            var (status, user) = await GetAsync(token, "user", cancellationToken);
            if (status is HttpStatusCode.Unauthorized)
            {
                return AuthenticationResult.Invalid("GitHub does not accept the token (Bad credentials: revoked or expired)");
            }
            if (status is not HttpStatusCode.OK || user is null)
            {
                return AuthenticationResult.Unavailable($"GitHub answered {(int)status} for the user");
            }
            var login = user.Value.GetProperty("login").GetString()!;
            var id = user.Value.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var email = user.Value.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

            var groups = new List<string>();
            var orgs = await GetPagesAsync(token, "user/orgs?per_page=100", cancellationToken);
            if (orgs is null)
            {
                return AuthenticationResult.Unavailable("GitHub did not list the user's organisations");
            }
            groups.AddRange(orgs.Select(o => o.GetProperty("login").GetString()!.ToLowerInvariant()));
            var teams = await GetPagesAsync(token, "user/teams?per_page=100", cancellationToken);
            if (teams is null)
            {
                return AuthenticationResult.Unavailable("GitHub did not list the user's teams");
            }
            groups.AddRange(teams.Select(t => $"{t.GetProperty("organization").GetProperty("login").GetString()!.ToLowerInvariant()}/{t.GetProperty("slug").GetString()}"));

            if (_options.Organizations.Count > 0 && !_options.Organizations.Any(o => groups.Contains(o.ToLowerInvariant())))
            {
                return AuthenticationResult.Forbidden($"GitHub user \"{login}\" is not a member of {string.Join(" or ", _options.Organizations.Select(o => $"\"{o}\""))}");
            }
            var claims = new Dictionary<string, string> { ["login"] = login, ["id"] = id };
            return AuthenticationResult.Success(new AuthenticatedIdentity(Name, id, login, email, groups.Distinct().ToList(), claims));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return AuthenticationResult.Unavailable($"GitHub could not be asked: {e.Message}");
        }
    }

    /// <summary>Follows rel="next" links up to <see cref="MaxPages"/>; null when a page fails.</summary>
    private async Task<List<JsonElement>?> GetPagesAsync(string token, string path, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        Uri? next = new(_api, path);
        for (var page = 0; next is not null && page < MaxPages; page++)
        {
            using var request = Request(token, next);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }
            var body = await ReadAsync(response, cancellationToken);
            if (body.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            items.AddRange(body.EnumerateArray());
            next = NextLink(response);
            // Only follow links on the same API host: a forged Link header must not send the token elsewhere.
            if (next is not null && next.Authority != _api.Authority)
            {
                return null;
            }
        }
        return items;
    }

    private async Task<(HttpStatusCode Status, JsonElement? Body)> GetAsync(string token, string path, CancellationToken cancellationToken)
    {
        using var request = Request(token, new Uri(_api, path));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, null);
        }
        return (response.StatusCode, await ReadAsync(response, cancellationToken));
    }

    private static HttpRequestMessage Request(string token, Uri uri)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("beacon-server", "1"));
        return request;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new InvalidOperationException("GitHub's response is too large");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new InvalidOperationException("GitHub's response is too large");
            }
            buffer.Write(chunk, 0, read);
        }
        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    /// <summary>The rel="next" URL of a Link header (RFC 8288), as GitHub paginates.</summary>
    internal static Uri? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }
        foreach (var part in string.Join(',', values).Split(','))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            if (pieces.Length >= 2 && pieces.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) == "rel=\"next\"")
                && pieces[0].StartsWith('<') && pieces[0].EndsWith('>') && Uri.TryCreate(pieces[0][1..^1], UriKind.Absolute, out var uri))
            {
                return uri;
            }
        }
        return null;
    }
}
