using Microsoft.IdentityModel.JsonWebTokens;

namespace Beacon.Server.Identity;

/// <summary>Routing hints from a token's shape. Nothing here is trusted: it only picks which provider checks the token.</summary>
public static class TokenShape
{
    /// <summary>The unverified "iss" of a JWT, or null when the token is not a readable JWT.</summary>
    public static string? UnverifiedIssuer(string token)
    {
        if (token.Count(c => c == '.') != 2)
        {
            return null;
        }
        try
        {
            return new JsonWebToken(token).Issuer;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Text.Json.JsonException or Microsoft.IdentityModel.Tokens.SecurityTokenMalformedException)
        {
            return null;
        }
    }

    /// <summary>Whether an opaque token has a prefix another provider owns (one-time tokens, GitHub tokens).</summary>
    public static bool HasKnownForeignPrefix(string token) =>
        token.StartsWith(OneTimeTokenProvider.Prefix, StringComparison.Ordinal) || token.StartsWith(Hosts.HostEnrollmentToken.Prefix, StringComparison.Ordinal) || GitHubTokenPrefixes.Any(p => token.StartsWith(p, StringComparison.Ordinal));

    /// <summary>GitHub's documented token prefixes.</summary>
    public static readonly string[] GitHubTokenPrefixes = ["gho_", "ghu_", "ghp_", "ghs_", "ghr_", "github_pat_"];
}
