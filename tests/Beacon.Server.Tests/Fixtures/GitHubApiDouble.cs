using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Beacon.Server.Tests.Fixtures;

/// <summary>
/// A local stand-in for GitHub's REST API (GitHub cannot be reached from the tests), on 127.0.0.1 and a
/// free port. It follows GitHub's public documentation for the endpoints BeaconSSH uses: GET /user,
/// GET /user/orgs and GET /user/teams (OAuth scopes, per_page/page and Link pagination, rate-limit
/// headers, the API version header, {"message", "documentation_url", "status"} error bodies, 401
/// "Bad credentials" for an unknown or revoked token, 403 without a User-Agent), and the device flow
/// (GitHubApiDouble.DeviceFlow.cs). Tests register users, organisations, teams and tokens, revoke
/// tokens, and inject faults. The API sits at ApiUrl: the server root like api.github.com, or under a
/// prefix like GitHub Enterprise Server's /api/v3. The device flow sits at WebUrl, like github.com.
/// </summary>
public sealed partial class GitHubApiDouble : IAsyncDisposable
{
    public const string SupportedApiVersion = "2022-11-28";

    internal const string Created = "2020-01-01T00:00:00Z";

    private const int RateLimitPerHour = 5000;

    private readonly Lock _lock = new();
    private readonly WebApplication _app;
    private readonly string _apiPrefix;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, (GitHubUser User, string Scopes)> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<long, GitHubUser> _users = [];
    private readonly List<GitHubOrganization> _organizations = [];
    private readonly List<GitHubTeam> _teams = [];
    private readonly Dictionary<long, int> _used = [];
    private readonly List<GitHubRecordedRequest> _requests = [];
    private long _nextId = 1_000_001;
    private long _bytesSent;

    private GitHubApiDouble(WebApplication app, string apiPrefix, TimeProvider clock)
    {
        _app = app;
        _apiPrefix = apiPrefix;
        _clock = clock;
    }

    /// <summary>The server root, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string WebUrl { get; private set; } = "";

    /// <summary>The REST API base to configure a client with (no trailing slash): WebUrl, or WebUrl/api/v3 when started with that prefix.</summary>
    public string ApiUrl => WebUrl + _apiPrefix;

    /// <summary>The fault API answers are replaced with; None for normal behaviour.</summary>
    public GitHubFault Fault { get; set; }

    /// <summary>When set, only this API path (e.g. "/user/teams") suffers the fault.</summary>
    public string? FaultPath { get; set; }

    /// <summary>When set, pagination links point at this base instead of ApiUrl (to test that a client stays on its host).</summary>
    public string? PaginationLinkBase { get; set; }

    /// <summary>Bytes handed to the network so far, every response and connection together (to see how much of an endless body a client took).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Starts the double on 127.0.0.1 and a free port.</summary>
    /// <param name="apiPrefix">"" for an api.github.com layout, "/api/v3" for GitHub Enterprise Server's.</param>
    /// <param name="clock">The clock for rate-limit resets and device-code expiry; the system clock by default.</param>
    public static async Task<GitHubApiDouble> StartAsync(string apiPrefix = "", TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        GitHubApiDouble? github = null;
        // Count what reaches the transport: Kestrel accepts and drops an application's writes after the client has gone.
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
        {
            connection.Transport = new CountingDuplexPipe(connection.Transport, bytes => Interlocked.Add(ref github!._bytesSent, bytes));
            return next(connection);
        })));
        var app = builder.Build();
        github = new GitHubApiDouble(app, apiPrefix.TrimEnd('/'), clock ?? TimeProvider.System);
        github.MapRestApi();
        github.MapDeviceFlow();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        github.WebUrl = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return github;
    }

    public GitHubUser AddUser(string login, string? email = null, string? name = null)
    {
        lock (_lock)
        {
            var user = new GitHubUser(_nextId++, login, email, name);
            _users.Add(user.Id, user);
            return user;
        }
    }

    public GitHubOrganization AddOrganization(string login)
    {
        lock (_lock)
        {
            var organization = new GitHubOrganization(_nextId++, login);
            _organizations.Add(organization);
            return organization;
        }
    }

    public void AddMember(GitHubOrganization organization, GitHubUser user)
    {
        lock (_lock)
        {
            organization.Members.Add(user.Id);
        }
    }

    public void RemoveMember(GitHubOrganization organization, GitHubUser user)
    {
        lock (_lock)
        {
            organization.Members.Remove(user.Id);
            foreach (var team in _teams.Where(t => t.Organization == organization))
            {
                team.Members.Remove(user.Id);
            }
        }
    }

    public GitHubTeam AddTeam(GitHubOrganization organization, string name)
    {
        lock (_lock)
        {
            var team = new GitHubTeam(_nextId++, organization, name);
            _teams.Add(team);
            return team;
        }
    }

    /// <summary>Adds the user to the team and, as on GitHub, to the team's organisation.</summary>
    public void AddTeamMember(GitHubTeam team, GitHubUser user)
    {
        lock (_lock)
        {
            team.Members.Add(user.Id);
            team.Organization.Members.Add(user.Id);
        }
    }

    /// <summary>A new OAuth token for the user, shaped like GitHub's: prefix and 36 base62 characters.</summary>
    /// <param name="user">Whom the token belongs to.</param>
    /// <param name="scopes">Granted OAuth scopes, comma-separated as GitHub reports them (e.g. "read:org").</param>
    /// <param name="prefix">gho_ (OAuth app), ghu_ (GitHub App user), ghp_ (classic personal access token).</param>
    public string IssueToken(GitHubUser user, string scopes = "read:org", string prefix = "gho_")
    {
        var token = prefix + RandomBase62(36);
        lock (_lock)
        {
            _tokens[token] = (user, scopes);
        }
        return token;
    }

    /// <summary>Revokes the token: every later request with it gets 401 Bad credentials.</summary>
    public void RevokeToken(string token)
    {
        lock (_lock)
        {
            _tokens.Remove(token);
        }
    }

    /// <summary>Every request received so far, oldest first.</summary>
    public IReadOnlyList<GitHubRecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>How many requests reached PATH (e.g. "/user/teams", without the API prefix).</summary>
    public int CountRequests(string path) => Requests.Count(r => r.Path == path);

    /// <summary>Stops answering: the port is closed, as when GitHub cannot be reached.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync();
        }
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private void MapRestApi()
    {
        _app.MapGet(_apiPrefix + "/user", context => ServeAsync(context, "/user", (user, _) =>
            user.ToJson(ApiUrl, WebUrl)));
        _app.MapGet(_apiPrefix + "/user/orgs", context => ServeAsync(context, "/user/orgs", (user, scopes) =>
        {
            // GitHub: OAuth and classic tokens need at least user or read:org to list organisations.
            if (!HasScope(scopes, "user") && !HasOrgScope(scopes))
            {
                return new ApiError(403, "You need at least read:org scope or user scope to list your organizations.",
                    "https://docs.github.com/rest/orgs/orgs#list-organizations-for-the-authenticated-user");
            }
            lock (_lock)
            {
                return _organizations.Where(o => o.Members.Contains(user.Id)).Select(o => (object)o.ToJson(ApiUrl)).ToList();
            }
        }));
        _app.MapGet(_apiPrefix + "/user/teams", context => ServeAsync(context, "/user/teams", (user, scopes) =>
        {
            // GitHub: OAuth and classic tokens need user, repo or read:org to list teams (this message is the double's wording).
            if (!HasScope(scopes, "user") && !HasScope(scopes, "repo") && !HasOrgScope(scopes))
            {
                return new ApiError(403, "You need at least user, repo or read:org scope to list your teams.",
                    "https://docs.github.com/rest/teams/teams#list-teams-for-the-authenticated-user");
            }
            lock (_lock)
            {
                return _teams.Where(t => t.Members.Contains(user.Id)).Select(t => t.ToJson(ApiUrl, WebUrl)).ToList();
            }
        }));
    }

    /// <summary>The checks every API request goes through, then the endpoint's answer: an object, a list (paginated here) or an ApiError.</summary>
    private async Task ServeAsync(HttpContext context, string path, Func<GitHubUser, string, object?> answer)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        lock (_lock)
        {
            _requests.Add(new GitHubRecordedRequest(request.Method, path, request.QueryString.Value ?? "", NullIfEmpty(authorization),
                NullIfEmpty(request.Headers.Accept.ToString()), NullIfEmpty(request.Headers["X-GitHub-Api-Version"].ToString()),
                NullIfEmpty(request.Headers.UserAgent.ToString())));
        }
        var response = context.Response;
        response.Headers["X-GitHub-Request-Id"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

        // GitHub refuses requests without a User-Agent, with this text.
        if (string.IsNullOrWhiteSpace(request.Headers.UserAgent))
        {
            response.StatusCode = 403;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("Request forbidden by administrative rules. Please make sure your request has a User-Agent header " +
                "(https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n");
            return;
        }
        var version = request.Headers["X-GitHub-Api-Version"].ToString();
        if (version.Length > 0 && version != SupportedApiVersion)
        {
            await WriteAsync(context, new ApiError(400, $"Unsupported 'X-GitHub-Api-Version' header value '{version}'. Supported versions: {SupportedApiVersion}.",
                "https://docs.github.com/rest/about-the-rest-api/api-versions"));
            return;
        }
        response.Headers["X-GitHub-Api-Version-Selected"] = SupportedApiVersion;

        if (Fault != GitHubFault.None && (FaultPath is null || FaultPath == path))
        {
            await ServeFaultAsync(context);
            return;
        }

        var token = TokenOf(authorization);
        if (token is null)
        {
            await WriteAsync(context, new ApiError(401, "Requires authentication", "https://docs.github.com/rest/users/users#get-the-authenticated-user"));
            return;
        }
        (GitHubUser User, string Scopes)? grant = null;
        var used = 0;
        lock (_lock)
        {
            if (_tokens.TryGetValue(token, out var found))
            {
                grant = found;
                used = _used[found.User.Id] = _used.GetValueOrDefault(found.User.Id) + 1;
            }
        }
        if (grant is not (GitHubUser user, string scopes))
        {
            await WriteAsync(context, new ApiError(401, "Bad credentials", "https://docs.github.com/rest"));
            return;
        }
        WriteRateLimitHeaders(response, RateLimitPerHour - used, used);
        response.Headers["X-OAuth-Scopes"] = scopes.Replace(",", ", ", StringComparison.Ordinal).Replace(",  ", ", ", StringComparison.Ordinal);
        response.Headers["X-Accepted-OAuth-Scopes"] = path == "/user" ? "" : "admin:org, read:org, repo, user, write:org";

        var body = answer(user, scopes);
        if (body is IReadOnlyList<object> items)
        {
            body = Paginate(context, path, items);
        }
        await WriteAsync(context, body);
    }

    /// <summary>GitHub's page-number pagination: per_page (default 30, at most 100), page (from 1), and a Link header with prev, next, last and first.</summary>
    private List<object> Paginate(HttpContext context, string path, IReadOnlyList<object> items)
    {
        var perPage = int.TryParse(context.Request.Query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? Math.Clamp(p, 1, 100) : 30;
        var page = int.TryParse(context.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
        var links = new List<string>();
        var linkBase = (PaginationLinkBase ?? ApiUrl) + path;
        string Link(int target, string rel) => $"<{linkBase}?per_page={perPage}&page={target}>; rel=\"{rel}\"";
        if (page > 1)
        {
            links.Add(Link(Math.Min(page - 1, last), "prev"));
        }
        if (page < last)
        {
            links.Add(Link(page + 1, "next"));
            links.Add(Link(last, "last"));
        }
        if (page > 1)
        {
            links.Add(Link(1, "first"));
        }
        if (links.Count > 0)
        {
            context.Response.Headers["Link"] = string.Join(", ", links);
        }
        return items.Skip((int)Math.Min((long)(page - 1) * perPage, int.MaxValue)).Take(perPage).ToList();
    }

    private async Task ServeFaultAsync(HttpContext context)
    {
        var response = context.Response;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        switch (Fault)
        {
            case GitHubFault.ServerError:
                await WriteAsync(context, new ApiError(502, "Server Error", "https://docs.github.com/rest"));
                return;
            case GitHubFault.RateLimited:
            case GitHubFault.TooManyRequests:
                WriteRateLimitHeaders(response, 0, RateLimitPerHour);
                await WriteAsync(context, new ApiError(Fault == GitHubFault.RateLimited ? 403 : 429, "API rate limit exceeded for user ID 1.",
                    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"));
                return;
            case GitHubFault.SecondaryRateLimited:
                response.Headers.RetryAfter = "60";
                await WriteAsync(context, new ApiError(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                    "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"));
                return;
            case GitHubFault.Hang:
                await Task.Delay(Timeout.Infinite, abort.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            case GitHubFault.EndlessBody:
            case GitHubFault.HugeDeclaredBody:
                response.StatusCode = 200;
                response.ContentType = "application/json; charset=utf-8";
                if (Fault == GitHubFault.HugeDeclaredBody)
                {
                    response.ContentLength = 8L << 30;
                }
                var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"login\":\"octocat\",\"id\":1},", 2048)));
                try
                {
                    await response.BodyWriter.WriteAsync("["u8.ToArray(), abort.Token);
                    for (var written = 0L; !abort.IsCancellationRequested && written < 4L << 30; written += chunk.Length)
                    {
                        var flushed = await response.BodyWriter.WriteAsync(chunk, abort.Token);
                        if (flushed.IsCompleted || flushed.IsCanceled)
                        {
                            break;
                        }
                        // Writes to a closed connection complete at once: yield so the abort can be noticed.
                        await Task.Yield();
                        if (Fault == GitHubFault.HugeDeclaredBody)
                        {
                            await Task.Delay(20, abort.Token);
                        }
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
                {
                    // The client went away, which is what a bounded client does.
                }
                context.Abort();
                return;
        }
    }

    private void WriteRateLimitHeaders(HttpResponse response, int remaining, int used)
    {
        var reset = _clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
        response.Headers["x-ratelimit-limit"] = RateLimitPerHour.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset"] = reset.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-used"] = used.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-resource"] = "core";
    }

    private static async Task WriteAsync(HttpContext context, object? body)
    {
        var response = context.Response;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers["X-GitHub-Media-Type"] = "github.v3; format=json";
        if (body is ApiError error)
        {
            response.StatusCode = error.Status;
            body = new Dictionary<string, object?>
            {
                ["message"] = error.Message,
                ["documentation_url"] = error.DocumentationUrl,
                ["status"] = error.Status.ToString(CultureInfo.InvariantCulture),
            };
        }
        await response.WriteAsync(JsonSerializer.Serialize(body));
    }

    /// <summary>"Bearer TOKEN" or GitHub's older "token TOKEN".</summary>
    private static string? TokenOf(string authorization)
    {
        var space = authorization.IndexOf(' ');
        if (space < 0)
        {
            return null;
        }
        var scheme = authorization[..space];
        var token = authorization[(space + 1)..].Trim();
        return token.Length > 0 && (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || scheme.Equals("token", StringComparison.OrdinalIgnoreCase))
            ? token
            : null;
    }

    private static bool HasScope(string scopes, string scope) =>
        scopes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal);

    private static bool HasOrgScope(string scopes) => HasScope(scopes, "read:org") || HasScope(scopes, "write:org") || HasScope(scopes, "admin:org");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    internal static string NodeId(string kind, long id) => Convert.ToBase64String(Encoding.ASCII.GetBytes(kind + id.ToString(CultureInfo.InvariantCulture)));

    internal static string RandomBase62(int length)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }

    private sealed record ApiError(int Status, string Message, string DocumentationUrl);

    private sealed class CountingDuplexPipe(IDuplexPipe inner, Action<int> count) : IDuplexPipe
    {
        public PipeReader Input => inner.Input;

        public PipeWriter Output { get; } = new CountingPipeWriter(inner.Output, count);
    }

    private sealed class CountingPipeWriter(PipeWriter inner, Action<int> count) : PipeWriter
    {
        public override void Advance(int bytes)
        {
            count(bytes);
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
    }
}
