using System.Net;
using System.Text;
using System.Text.Json;
using Beacon.Testing;

namespace Beacon.Cli.Tests.GoldenPath;

/// <summary>
/// GitHub Actions' ID token service as a job sees it: GET ACTIONS_ID_TOKEN_REQUEST_URL&amp;audience=A with
/// "Authorization: bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN" answers {"value": JWT}. The JWT comes from the test.
/// </summary>
internal sealed class ActionsTokenService : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<string, string> _mint;
    private readonly Task _serving;

    public ActionsTokenService(Func<string, string> mint)
    {
        _mint = mint;
        var port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        RequestUrl = $"http://127.0.0.1:{port}/_apis/distributedtask/hubs/build/plans/1/jobs/2/idtoken?api-version=2.0";
        _serving = Task.Run(ServeAsync);
    }

    public string RequestUrl { get; }

    public string RequestToken { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>The audiences asked for, in order.</summary>
    public List<string> Audiences { get; } = [];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var response = context.Response;
            if (context.Request.Headers["Authorization"] != $"Bearer {RequestToken}")
            {
                response.StatusCode = 401;
                continue;
            }
            var audience = context.Request.QueryString["audience"] ?? "";
            lock (Audiences)
            {
                Audiences.Add(audience);
            }
            var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { count = 1, value = _mint(audience) }));
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(body);
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
