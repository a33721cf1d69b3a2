using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Beacon.Server.Api;

/// <summary>Reads a JSON body with a size cap, turning every failure into a 4xx problem.</summary>
public static class BoundedJson
{
    /// <param name="invalid">Answers a body that is not JSON of this shape (and a null one, with a null exception); default a 400 naming the JSON path.</param>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, long limit, JsonSerializerOptions options, CancellationToken cancellationToken,
        Func<JsonException?, IResult>? invalid = null)
        where T : class
    {
        if (request.ContentLength > limit)
        {
            return (null, Problems.TooLarge(limit));
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        if (!(request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return (null, Problems.Of(415, "Unsupported media type", "send the request as application/json"));
        }
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken);
            return value is null ? (null, invalid?.Invoke(null) ?? Problems.BadRequest("the body is empty or null")) : (value, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge(limit));
        }
        catch (JsonException e) when (invalid is not null)
        {
            return (null, invalid(e));
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 0 } path ? $" at {path}" : "";
            return (null, Problems.BadRequest($"the body is not valid JSON for this request{where}"));
        }
    }
}
