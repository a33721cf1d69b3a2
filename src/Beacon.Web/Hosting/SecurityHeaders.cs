namespace Beacon.Web.Hosting;

/// <summary>Headers on every response: no script at all, no framing, no referrer leaking URLs with serials or filters.</summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Nothing but our own stylesheet and forms to ourselves: an injected script or inline style does
    /// not run, and no other site can frame the admin pages (clickjacking).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static Task ApplyAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (!context.Request.Path.StartsWithSegments("/site.css"))
        {
            headers.CacheControl = "no-store";
        }
        return next(context);
    }
}
