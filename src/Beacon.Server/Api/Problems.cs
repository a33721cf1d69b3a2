namespace Beacon.Server.Api;

/// <summary>RFC 7807 problem+json responses, mapped once: 400 malformed, 401 unauthenticated, 403 refused, 413, 429, 503.</summary>
public static class Problems
{
    public static IResult Of(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail, type: $"https://beaconssh.dev/problems/{status}");

    public static IResult BadRequest(string detail) => Of(400, "Bad request", detail);

    public static IResult Unauthenticated(string detail) => Of(401, "Unauthenticated", detail);

    public static IResult TooLarge(long limit) => Of(413, "Request body too large", $"the body is larger than {limit} bytes");
}
