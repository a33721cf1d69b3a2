using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Beacon.Testing;

namespace Beacon.Diag.Tests.Fixtures;

/// <summary>An HTTP listener on 127.0.0.1 standing in for an alert webhook: it keeps every JSON body posted to it.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<JsonObject> _received = Channel.CreateUnbounded<JsonObject>();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>The next alert posted; fails the test if none arrives within a minute (a hang guard, not a speed check).</summary>
    public async Task<JsonObject> NextAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await _received.Reader.ReadAsync(guard.Token);
    }

    /// <summary>Alerts posted so far and not yet read.</summary>
    public List<JsonObject> Drain()
    {
        var all = new List<JsonObject>();
        while (_received.Reader.TryRead(out var item))
        {
            all.Add(item);
        }
        return all;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                var body = await reader.ReadToEndAsync();
                if (JsonNode.Parse(body) is JsonObject alert)
                {
                    alert["_content_type"] = context.Request.ContentType;
                    alert["_method"] = context.Request.HttpMethod;
                    await _received.Writer.WriteAsync(alert);
                }
            }
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
