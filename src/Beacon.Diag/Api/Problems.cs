namespace Beacon.Diag.Api;

/// <summary>RFC 7807 problem+json responses; a refused field is named in the "field" member.</summary>
internal static class Problems
{
    public static IResult Of(int status, string title, string detail, string? field = null) =>
        Results.Problem(statusCode: status, title: title, detail: detail, type: $"https://beaconssh.dev/problems/{status}",
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static string TitleFor(int status) => status switch
    {
        400 => "Bad request",
        413 => "Payload too large",
        415 => "Unsupported media type",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => "Refused",
    };
}
