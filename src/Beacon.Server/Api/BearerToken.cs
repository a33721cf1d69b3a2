namespace Beacon.Server.Api;

/// <summary>Reads "Authorization: Bearer TOKEN" and the optional "Beacon-Provider" header naming the provider.</summary>
public static class BearerToken
{
    /// <summary>Sanity bound, not in any spec: longer than any JWT or OAuth token we expect.</summary>
    public const int MaxLength = 16 * 1024;

    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = header["Bearer ".Length..].Trim();
        return token.Length is > 0 and <= MaxLength ? token : null;
    }

    public static string? ProviderHint(HttpRequest request)
    {
        var name = request.Headers["Beacon-Provider"].ToString();
        return string.IsNullOrWhiteSpace(name) || name.Length > 64 ? null : name;
    }
}
