using System.Text;
using Beacon.Server.Revocation;

namespace Beacon.Server.Api;

/// <summary>
/// The revocation list for hosts: GET /v1/trust/krl (OpenSSH binary KRL), /v1/trust/krl.sig (its armored
/// SSHSIG by the revocation key), /v1/trust/revocation-key.pub. Both KRL resources carry a strong ETag
/// and answer If-None-Match with 304, so a host's sync with nothing changed costs one small request.
/// </summary>
public static class KrlEndpoints
{
    public static IEndpointRouteBuilder MapKrlEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/trust/krl", async (HttpContext http, KrlPublisher publisher, CancellationToken cancellationToken) =>
        {
            var krl = await publisher.CurrentAsync(cancellationToken);
            return Conditional(http, krl, krl.ETag, () => Results.Bytes(krl.Bytes, "application/octet-stream"));
        });
        app.MapGet("/v1/trust/krl.sig", async (HttpContext http, KrlPublisher publisher, CancellationToken cancellationToken) =>
        {
            var krl = await publisher.CurrentAsync(cancellationToken);
            return Conditional(http, krl, krl.SignatureETag, () => Results.Text(krl.Signature, "text/plain; charset=utf-8", Encoding.UTF8));
        });
        app.MapGet("/v1/trust/revocation-key.pub", (RevocationKey key) =>
            Results.Text(key.PublicKey.ToOpenSshString(RevocationKey.Identity) + "\n", "text/plain; charset=utf-8"));
        return app;
    }

    private static IResult Conditional(HttpContext http, PublishedKrl krl, string etag, Func<IResult> body)
    {
        var headers = http.Response.Headers;
        headers.ETag = etag;
        // Caches may keep it but must ask again each time: a stale KRL would let a revoked certificate in.
        headers.CacheControl = "no-cache";
        headers["Beacon-Krl-Version"] = krl.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ifNoneMatch = http.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && (ifNoneMatch.Trim() == "*" || ifNoneMatch.Split(',').Any(t => t.Trim() == etag)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return body();
    }
}
