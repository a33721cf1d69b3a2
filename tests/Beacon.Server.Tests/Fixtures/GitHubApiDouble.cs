using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Beacon.Server.Tests.Fixtures;

/// <summary>
/// A local double of the parts of GitHub's REST API the provider uses, faithful to the public docs:
/// GET /user, GET /user/orgs, GET /user/teams (Link-header pagination, per_page, page), 401 with
/// {"message":"Bad credentials","documentation_url":…} for an unknown or revoked token.
/// </summary>
public sealed class GitHubApiDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, GitHubUser> _tokens = new();

    public sealed record GitHubUser(long Id, string Login, string? Email, string[] Orgs, (string Org, string Team)[] Teams);

    private GitHubApiDouble(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>When set, every request answers this status (a GitHub outage).</summary>
    public int? ForcedStatus { get; set; }

    /// <summary>When set, /user answers a body of this many bytes.</summary>
    public int? HugeBodyBytes { get; set; }

    public static async Task<GitHubApiDouble> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var double_ = new GitHubApiDouble(app);
        app.Use(async (context, next) =>
        {
            if (double_.ForcedStatus is { } status)
            {
                context.Response.StatusCode = status;
                await context.Response.WriteAsync("{\"message\":\"Server Error\"}");
                return;
            }
            await next();
        });
        app.MapGet("/user", (HttpContext context) => double_.Authorized(context) is { } user
            ? double_.HugeBodyBytes is { } size
                ? Results.Text("{\"login\":\"" + new string('x', size) + "\"}", "application/json")
                : Results.Json(new { login = user.Login, id = user.Id, email = user.Email, type = "User" })
            : BadCredentials());
        app.MapGet("/user/orgs", (HttpContext context) => double_.Authorized(context) is { } user
            ? Page(context, user.Orgs.Select(o => (object)new { login = o, id = o.GetHashCode(), url = $"{double_.Url}/orgs/{o}" }).ToList())
            : BadCredentials());
        app.MapGet("/user/teams", (HttpContext context) => double_.Authorized(context) is { } user
            ? Page(context, user.Teams.Select(t => (object)new { slug = t.Team, name = t.Team, organization = new { login = t.Org } }).ToList())
            : BadCredentials());
        await app.StartAsync();
        double_.Url = app.Urls.First();
        return double_;
    }

    public string AddUser(GitHubUser user)
    {
        var token = "gho_" + Guid.NewGuid().ToString("N");
        _tokens[token] = user;
        return token;
    }

    /// <summary>Revokes a token as a user or an app owner would on GitHub.</summary>
    public void Revoke(string token) => _tokens.TryRemove(token, out _);

    private GitHubUser? Authorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : header.StartsWith("token ", StringComparison.Ordinal) ? header[6..] : "";
        return _tokens.TryGetValue(token, out var user) ? user : null;
    }

    private static IResult BadCredentials() => Results.Json(
        new { message = "Bad credentials", documentation_url = "https://docs.github.com/rest" }, statusCode: 401);

    /// <summary>per_page/page paging with a Link header, as GitHub does.</summary>
    private static IResult Page(HttpContext context, List<object> items)
    {
        var perPage = int.TryParse(context.Request.Query["per_page"], out var p) ? Math.Clamp(p, 1, 100) : 30;
        var page = int.TryParse(context.Request.Query["page"], out var n) ? Math.Max(1, n) : 1;
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
        if (page < last)
        {
            var request = context.Request;
            var next = $"{request.Scheme}://{request.Host}{request.Path}?per_page={perPage}&page={page + 1}";
            var lastLink = $"{request.Scheme}://{request.Host}{request.Path}?per_page={perPage}&page={last}";
            context.Response.Headers.Link = $"<{next}>; rel=\"next\", <{lastLink}>; rel=\"last\"";
        }
        return Results.Json(items.Skip((page - 1) * perPage).Take(perPage).ToList(), new JsonSerializerOptions());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
