using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Server.Identity;

/// <summary>
/// Local validation of a JWT against the issuer's published keys: signature, issuer, audience, expiry.
/// Only asymmetric algorithms are accepted: "none" and HMAC algorithms are refused outright, so a
/// token "signed" with the issuer's public key as an HMAC secret cannot pass.
/// </summary>
public sealed class JwtAccessTokenValidator(SigningKeySource keys, string issuer, IReadOnlyCollection<string> audiences)
{
    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>The token's claims when it is valid; otherwise the reason (401) or that the issuer could not be reached (503).</summary>
    public async Task<(JsonWebToken? Token, AuthenticationResult? Failure)> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (!_handler.CanReadToken(token))
        {
            return (null, AuthenticationResult.Invalid("the token is not a JWT"));
        }
        Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await keys.GetAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException)
        {
            return (null, AuthenticationResult.Unavailable($"the issuer's signing keys could not be fetched: {e.Message}"));
        }
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidateIssuer = true,
            ValidAudiences = audiences,
            ValidateAudience = audiences.Count > 0,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ValidAlgorithms = AsymmetricAlgorithms,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (result.IsValid)
        {
            return ((JsonWebToken)result.SecurityToken, null);
        }
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            keys.RequestRefresh();
        }
        return (null, AuthenticationResult.Invalid(Describe(result.Exception)));
    }

    /// <summary>A one-line reason without echoing the token.</summary>
    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenInvalidAudienceException => "the token is for another audience",
        SecurityTokenInvalidIssuerException => "the token is from another issuer",
        SecurityTokenInvalidAlgorithmException => "the token's signing algorithm is not accepted (asymmetric algorithms only)",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the token's signature does not verify",
        SecurityTokenNoExpirationException => "the token has no expiry",
        _ => "the token is not valid",
    };
}
