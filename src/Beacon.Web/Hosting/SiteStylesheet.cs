namespace Beacon.Web.Hosting;

/// <summary>The one stylesheet, embedded in the assembly (no static-file tree to deploy, nothing inline for CSP to allow).</summary>
public static class SiteStylesheet
{
    private static readonly Lazy<byte[]> Css = new(() =>
    {
        using var stream = typeof(SiteStylesheet).Assembly.GetManifestResourceStream("beacon-web/site.css")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IResult Serve(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Bytes(Css.Value, "text/css; charset=utf-8");
    }
}
