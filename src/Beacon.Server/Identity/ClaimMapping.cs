using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Beacon.Server.Identity;

/// <summary>Turns token or userinfo claims into an identity: username, e-mail, groups, and every string claim.</summary>
public static class ClaimMapping
{
    /// <summary>String claims of a validated JWT.</summary>
    public static Dictionary<string, string> StringClaims(JsonWebToken token)
    {
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in token.Claims)
        {
            claims.TryAdd(claim.Type, claim.Value);
        }
        return claims;
    }

    /// <summary>Values of a claim that may be a single string or an array (groups).</summary>
    public static List<string> Values(JsonWebToken token, string claim) =>
        token.Claims.Where(c => c.Type == claim).Select(c => c.Value).ToList();

    /// <summary>String claims and the named list claim from a JSON object (userinfo, introspection).</summary>
    public static (Dictionary<string, string> Claims, List<string> Groups) FromJson(JsonElement root, string groupsClaim)
    {
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        var groups = new List<string>();
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                claims[property.Name] = property.Value.GetString()!;
            }
            if (property.Name == groupsClaim)
            {
                if (property.Value.ValueKind == JsonValueKind.Array)
                {
                    groups.AddRange(property.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!));
                }
                else if (property.Value.ValueKind == JsonValueKind.String)
                {
                    groups.Add(property.Value.GetString()!);
                }
            }
        }
        return (claims, groups);
    }

    /// <summary>The username: the configured claim, else preferred_username, else sub.</summary>
    public static string? Username(IReadOnlyDictionary<string, string> claims, string? usernameClaim) =>
        usernameClaim is not null
            ? claims.GetValueOrDefault(usernameClaim)
            : claims.GetValueOrDefault("preferred_username") ?? claims.GetValueOrDefault("sub");
}
