using System.Globalization;
using System.Text;
using Beacon.Server.Hosting;
using Beacon.Server.Issuance;
using Beacon.Server.Storage;
using Beacon.Server.Trust;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Api;

/// <summary>
/// The signed trust bundle (docs/trust-protocol.md): GET /v1/trust/bundle and /v1/trust/bundle.asc with
/// strong ETags and 304 on If-None-Match, /v1/trust/bundle-key.asc; for admins the offline draft and the
/// signature upload that publishes it.
/// </summary>
public static class TrustBundleEndpoints
{
    public static IEndpointRouteBuilder MapTrustBundleEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/trust/bundle", async (HttpContext http, PublishedBundles bundles, IBeaconStore store, CancellationToken cancellationToken) =>
        {
            var bundle = await bundles.CurrentAsync(cancellationToken);
            // The KRL's current version rides along (on the 304 too): a host whose KRL is that version needs
            // no second request, so a sync with nothing changed is one conditional GET.
            http.Response.Headers["Beacon-Krl-Version"] = (await store.KrlVersionAsync(cancellationToken)).ToString(CultureInfo.InvariantCulture);
            return bundle is null ? NothingPublished() : Conditional(http, bundle.Version, bundle.ETag, () => Results.Bytes(bundle.Document, "application/json"));
        });
        app.MapGet("/v1/trust/bundle.asc", async (HttpContext http, PublishedBundles bundles, CancellationToken cancellationToken) =>
        {
            var bundle = await bundles.CurrentAsync(cancellationToken);
            return bundle is null ? NothingPublished()
                : Conditional(http, bundle.Version, bundle.SignatureETag, () => Results.Text(bundle.Signature, "text/plain; charset=utf-8", Encoding.UTF8));
        });
        app.MapGet("/v1/trust/bundle-key.asc", (TrustOptions options, ServerBundleKey key) => options.IsOffline
            ? Problems.Of(404, "Not found", "bundles are signed offline by the operator's key here (Beacon:Trust:Signing is offline); hosts pin that key")
            : Results.Text(key.Key.ExportPublicArmored(), "text/plain; charset=utf-8", Encoding.UTF8));
        app.MapGet("/v1/admin/trust/bundle/draft", DraftAsync);
        app.MapPost("/v1/admin/trust/bundle/signature", PublishSignatureAsync);
        return app;
    }

    private static async Task<IResult> DraftAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits, IOptions<BeaconServerOptions> options,
        IBeaconStore store, BundleSignatures signatures, CancellationToken cancellationToken)
    {
        var (admin, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, "trust.bundle.draft.read", cancellationToken);
        if (admin is null)
        {
            return denied!;
        }
        if (await signatures.DraftAsync(cancellationToken) is not { } draft)
        {
            return Problems.Of(404, "Not found", "there is no draft: the latest bundle version is published");
        }
        http.Response.Headers["Beacon-Bundle-Version"] = draft.Version.ToString(CultureInfo.InvariantCulture);
        return Results.Bytes(draft.Document, "application/json");
    }

    private static async Task<IResult> PublishSignatureAsync(HttpContext http, IdentityProviderRegistry providers, RequestRateLimits limits,
        IOptions<BeaconServerOptions> options, IBeaconStore store, BundleSignatures signatures, string? version, CancellationToken cancellationToken)
    {
        var (admin, denied) = await AdminAuthorization.RequireAdminAsync(http, providers, limits, options.Value, store, TrustBundlePublisher.PublishKind, cancellationToken);
        if (admin is null)
        {
            return denied!;
        }
        if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return Problems.BadRequest("version: the draft's version number is required (?version=N)");
        }
        var (text, problem) = await ReadTextAsync(http.Request, Math.Min(options.Value.Limits.MaxRequestBodyBytes, BundleSignatures.MaxSignatureLength), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var outcome = await signatures.PublishAsync(number, text!, admin.Actor, cancellationToken);
        if (outcome.Published is not { } published)
        {
            return Problems.Of(outcome.Status, outcome.Status switch
            {
                404 => "Not found",
                409 => "Conflict",
                422 => "Signature refused",
                _ => "Unavailable",
            }, outcome.Message);
        }
        return Results.Json(new BundlePublication(published.Version, outcome.Message), ApiJson.Options);
    }

    /// <summary>Reads a small text/plain body; anything else is a 4xx problem.</summary>
    private static async Task<(string? Text, IResult? Problem)> ReadTextAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (null, Problems.TooLarge(limit));
        }
        if (!(request.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return (null, Problems.Of(415, "Unsupported media type", "send the armored signature as text/plain"));
        }
        var buffer = new byte[limit + 1];
        var read = 0;
        try
        {
            int n;
            while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += n;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge(limit));
        }
        if (read > limit)
        {
            return (null, Problems.TooLarge(limit));
        }
        try
        {
            return (new UTF8Encoding(false, true).GetString(buffer, 0, read), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, Problems.BadRequest("the signature is not UTF-8 text"));
        }
    }

    private static IResult NothingPublished() => Problems.Of(404, "Not found", "no trust bundle is published yet");

    private static IResult Conditional(HttpContext http, long version, string etag, Func<IResult> body)
    {
        var headers = http.Response.Headers;
        headers.ETag = etag;
        // Caches may keep it but must ask again each time: hosts must see a new CA or a retirement promptly.
        headers.CacheControl = "no-cache";
        headers["Beacon-Bundle-Version"] = version.ToString(CultureInfo.InvariantCulture);
        var ifNoneMatch = http.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && (ifNoneMatch.Trim() == "*" || ifNoneMatch.Split(',').Any(t => t.Trim() == etag)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return body();
    }
}

/// <summary>200 body of a signature upload: the version now published.</summary>
public sealed record BundlePublication(long Version, string Message);
