using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Beacon.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Beacon.Web.Server;

/// <summary>
/// beacon-server's API, called with the signed-in person's own access token (from the encrypted auth
/// cookie): beacon-web holds no credential of its own, so the server decides every permission.
/// </summary>
public sealed class ServerApi(IHttpClientFactory factory, IHttpContextAccessor accessor, IOptions<WebOptions> options)
{
    public const string ClientName = "beacon-server";

    /// <summary>Sanity bound on a response body.</summary>
    private const int MaxResponseBytes = 4 * 1024 * 1024;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    /// <summary>A public text resource (CA keys); no token.</summary>
    public async Task<string?> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var http = Client();
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>A call whose answer is not JSON (a bundle draft) or whose body is text (a signature): status, body, headers.</summary>
    public async Task<RawAnswer> SendRawAsync(HttpMethod method, string path, string? textBody, CancellationToken cancellationToken)
    {
        var token = await (accessor.HttpContext ?? throw new InvalidOperationException("no request")).GetTokenAsync("access_token");
        using var message = new HttpRequestMessage(method, path);
        if (!string.IsNullOrEmpty(token))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (options.Value.ServerProvider is { Length: > 0 } provider)
            {
                message.Headers.Add("Beacon-Provider", provider);
            }
        }
        if (textBody is not null)
        {
            message.Content = new StringContent(textBody, System.Text.Encoding.UTF8, "text/plain");
        }
        using var http = Client();
        try
        {
            using var response = await http.SendAsync(message, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            ApiProblem? problem = null;
            if (!response.IsSuccessStatusCode)
            {
                try
                {
                    problem = JsonSerializer.Deserialize<ApiProblem>(body, Json);
                }
                catch (JsonException)
                {
                }
                problem ??= new ApiProblem { Title = response.ReasonPhrase ?? "Error" };
            }
            var version = response.Headers.TryGetValues("Beacon-Bundle-Version", out var values) ? values.FirstOrDefault() : null;
            return new RawAnswer((int)response.StatusCode, body, version, problem);
        }
        catch (HttpRequestException e)
        {
            return new RawAnswer(502, "", null, new ApiProblem { Title = "Server unreachable", Detail = e.Message });
        }
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var context = accessor.HttpContext ?? throw new InvalidOperationException("no request");
        var token = await context.GetTokenAsync("access_token");
        if (string.IsNullOrEmpty(token))
        {
            return ApiResult<T>.Failed(401, new ApiProblem { Title = "Not signed in", Detail = "sign in again" });
        }
        using var message = new HttpRequestMessage(method, path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (options.Value.ServerProvider is { Length: > 0 } provider)
        {
            message.Headers.Add("Beacon-Provider", provider);
        }
        if (body is not null)
        {
            message.Content = JsonContent.Create(body, options: Json);
        }
        else if (method == HttpMethod.Post)
        {
            message.Content = new StringContent("", System.Text.Encoding.UTF8, "application/json");
        }
        using var http = Client();
        try
        {
            using var response = await http.SendAsync(message, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
                return value is null ? ApiResult<T>.Failed(502, new ApiProblem { Title = "Empty answer" }) : ApiResult<T>.Ok(value);
            }
            ApiProblem? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync<ApiProblem>(Json, cancellationToken);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
            }
            return ApiResult<T>.Failed((int)response.StatusCode, problem ?? new ApiProblem { Title = response.ReasonPhrase ?? "Error" });
        }
        catch (HttpRequestException e)
        {
            return ApiResult<T>.Failed(502, new ApiProblem { Title = "Server unreachable", Detail = $"{options.Value.ServerUrl}: {e.Message}" });
        }
        catch (JsonException)
        {
            return ApiResult<T>.Failed(502, new ApiProblem { Title = "Malformed answer", Detail = "the server's answer was not the expected JSON" });
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiResult<T>.Failed(504, new ApiProblem { Title = "Server did not answer" });
        }
    }

    private HttpClient Client()
    {
        var http = factory.CreateClient(ClientName);
        http.MaxResponseContentBufferSize = MaxResponseBytes;
        return http;
    }
}

/// <summary>What a call gave: a value, or the server's status and problem.</summary>
public sealed record ApiResult<T>(T? Value, int Status, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;

    public static ApiResult<T> Ok(T value) => new(value, 200, null);

    public static ApiResult<T> Failed(int status, ApiProblem problem) => new(default, status, problem);

    /// <summary>One line for the page: title and detail.</summary>
    public string Message => Problem is null ? "" : string.IsNullOrEmpty(Problem.Detail) ? Problem.Title ?? "" : $"{Problem.Title}: {Problem.Detail}";
}

/// <summary>A raw answer: status, body text, the Beacon-Bundle-Version header, the problem when it failed.</summary>
public sealed record RawAnswer(int Status, string Body, string? BundleVersion, ApiProblem? Problem)
{
    public string Message => Problem is null ? "" : string.IsNullOrEmpty(Problem.Detail) ? Problem.Title ?? "" : $"{Problem.Title}: {Problem.Detail}";
}

/// <summary>RFC 7807 problem+json, with validation errors by field when the server gives them.</summary>
public sealed class ApiProblem
{
    public string? Title { get; set; }

    public string? Detail { get; set; }

    public int? Status { get; set; }

    public Dictionary<string, string[]>? Errors { get; set; }
}
