using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Beacon.Host.Tests.Support;

/// <summary>
/// A local HTTPS double of beacon-server's trust endpoints (docs/trust-protocol.md): serves whatever
/// bundle, signature, KRL and KRL signature the test publishes, with strong ETags and 304s, and can
/// misbehave on demand (a status, an oversized body). It records every request it answers.
/// </summary>
public sealed class TrustServerDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<string> _requests = [];
    private Dictionary<string, (byte[] Body, string ContentType, string? VersionHeader, long Version)> _resources = [];

    private TrustServerDouble(WebApplication app, string url, string fingerprint)
    {
        _app = app;
        Url = url;
        Fingerprint = fingerprint;
    }

    public string Url { get; private set; }

    /// <summary>SHA-256 of its TLS certificate, lowercase hex: what a host pins.</summary>
    public string Fingerprint { get; }

    /// <summary>When set, every request gets this status and a problem body.</summary>
    public int? FailWith { get; set; }

    /// <summary>When set, the bundle is answered with this many bytes of filler instead.</summary>
    public int? OversizedBundle { get; set; }

    /// <summary>"METHOD path -> status" for each request answered, in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToList();
            }
        }
    }

    public void ClearRequests()
    {
        lock (_lock)
        {
            _requests.Clear();
        }
    }

    public static async Task<TrustServerDouble> StartAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=trust-double", key, HashAlgorithmName.SHA256);
        using var generated = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificate = X509CertificateLoader.LoadPkcs12(generated.Export(X509ContentType.Pkcs12), null);
        var fingerprint = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var double_ = new TrustServerDouble(app, "", fingerprint);
        app.Run(double_.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        double_.Url = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return double_;
    }

    /// <summary>Serves a bundle and its signature (as given: a test may publish mismatched ones).</summary>
    public void PublishBundle(byte[] document, string signature, long version)
    {
        lock (_lock)
        {
            _resources = new(_resources)
            {
                ["/v1/trust/bundle"] = (document, "application/json", "Beacon-Bundle-Version", version),
                ["/v1/trust/bundle.asc"] = (System.Text.Encoding.UTF8.GetBytes(signature), "text/plain", "Beacon-Bundle-Version", version),
            };
        }
    }

    public void PublishKrl(byte[] krl, string signature, long version)
    {
        lock (_lock)
        {
            _resources = new(_resources)
            {
                ["/v1/trust/krl"] = (krl, "application/octet-stream", "Beacon-Krl-Version", version),
                ["/v1/trust/krl.sig"] = (System.Text.Encoding.UTF8.GetBytes(signature), "text/plain", "Beacon-Krl-Version", version),
            };
        }
    }

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        var status = await AnswerAsync(http, path);
        lock (_lock)
        {
            _requests.Add($"{http.Request.Method} {path} -> {status}");
        }
    }

    private async Task<int> AnswerAsync(HttpContext http, string path)
    {
        if (FailWith is { } failure)
        {
            http.Response.StatusCode = failure;
            http.Response.ContentType = "application/problem+json";
            await http.Response.WriteAsync($$"""{"title":"Failure","status":{{failure}},"detail":"the double was told to fail"}""");
            return failure;
        }
        if (path == "/v1/trust/bundle" && OversizedBundle is { } size)
        {
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(new byte[size]);
            return 200;
        }
        (byte[] Body, string ContentType, string? VersionHeader, long Version) resource;
        lock (_lock)
        {
            if (!_resources.TryGetValue(path, out resource))
            {
                http.Response.StatusCode = 404;
                return 404;
            }
        }
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(resource.Body))[..32]}\"";
        http.Response.Headers.ETag = etag;
        if (resource.VersionHeader is not null)
        {
            http.Response.Headers[resource.VersionHeader] = resource.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (http.Request.Headers.IfNoneMatch.ToString().Split(',').Any(t => t.Trim() == etag))
        {
            http.Response.StatusCode = 304;
            return 304;
        }
        http.Response.ContentType = resource.ContentType;
        await http.Response.Body.WriteAsync(resource.Body);
        return 200;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
