using System.Net.Http.Headers;
using System.Text.Json;
using Beacon.Cli.Login;
using Beacon.Cli.Settings;

namespace Beacon.Cli.Commands.Cert;

/// <summary>The CI job's OIDC token: from GitHub Actions' token service, or from a file another CI system wrote.</summary>
internal static class WorkloadToken
{
    public const string RequestUrlVariable = "ACTIONS_ID_TOKEN_REQUEST_URL";

    public const string RequestTokenVariable = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

    /// <summary>Sanity bound: a JWT longer than this is not one.</summary>
    private const int MaxTokenLength = 16 * 1024;

    /// <exception cref="CliException">Missing, unreadable, or not a JWT.</exception>
    public static string FromFile(string path)
    {
        var text = PrivateFiles.ReadIfExists(path) ?? throw new CliException($"--id-token-file {path}: no such file");
        return Check(text.Trim(), path);
    }

    /// <summary>
    /// Asks GitHub Actions for an ID token for <paramref name="audience"/> (the job needs `permissions: id-token: write`):
    /// GET $ACTIONS_ID_TOKEN_REQUEST_URL&amp;audience=A with the request token as a bearer.
    /// </summary>
    /// <exception cref="CliException">Not in a job with id-token permission, or the token service failed.</exception>
    public static async Task<string> FromGitHubActionsAsync(CliConsole console, string audience, CancellationToken cancellationToken)
    {
        var url = console.Variable(RequestUrlVariable);
        var bearer = console.Variable(RequestTokenVariable);
        if (url is null || bearer is null)
        {
            throw new CliException($"{RequestUrlVariable} and {RequestTokenVariable} are not set: run in a GitHub Actions job with `permissions: id-token: write`");
        }
        if (!Uri.TryCreate(url + (url.Contains('?') ? "&" : "?") + "audience=" + Uri.EscapeDataString(audience), UriKind.Absolute, out var request)
            || (request.Scheme != Uri.UriSchemeHttps && !(request.Scheme == Uri.UriSchemeHttp && request.IsLoopback)))
        {
            throw new CliException($"{RequestUrlVariable} is not an https URL");
        }
        using var http = IdentityProviderHttp.Create();
        using var message = new HttpRequestMessage(HttpMethod.Get, request);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(message, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException($"GitHub Actions' token service answered HTTP {(int)response.StatusCode} (does the job have `permissions: id-token: write`?)");
            }
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            var value = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()!
                : throw new CliException("GitHub Actions' token service answered without a token (\"value\")");
            return Check(value, "GitHub Actions' token service");
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach GitHub Actions' token service: {e.Message}");
        }
        catch (JsonException)
        {
            throw new CliException("GitHub Actions' token service answered with no JSON");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException("GitHub Actions' token service did not answer in time");
        }
    }

    private static string Check(string token, string source)
    {
        if (token.Length == 0 || token.Length > MaxTokenLength || token.Count(c => c == '.') != 2 || token.Any(char.IsWhiteSpace))
        {
            throw new CliException($"{source}: not a JWT");
        }
        return token;
    }
}
