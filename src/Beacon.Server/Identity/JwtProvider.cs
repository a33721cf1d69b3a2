using Beacon.Server.Hosting;
using Beacon.Server.Policy;

namespace Beacon.Server.Identity;

/// <summary>
/// Workload JWTs, GitHub Actions' OIDC tokens the reference (as Vault's JWT roles bind them): validated
/// against the issuer's keys, then bound by audience, claim globs (repository, ref, workflow,
/// environment) and the request's source address. A binding that does not match is a 403 naming it.
/// </summary>
public sealed class JwtProvider : IIdentityProvider
{
    private readonly ProviderOptions _options;
    private readonly JwtAccessTokenValidator _validator;

    public JwtProvider(string name, ProviderOptions options, HttpClient http)
    {
        if (string.IsNullOrEmpty(options.Issuer))
        {
            throw new InvalidOperationException($"identity provider \"{name}\": jwt needs an Issuer");
        }
        if (string.IsNullOrEmpty(options.UsernameClaim))
        {
            throw new InvalidOperationException($"identity provider \"{name}\": jwt needs a UsernameClaim (GitHub Actions: actor)");
        }
        if (options.Audiences.Count == 0)
        {
            // An unbound audience would accept a token minted for any other service by the same issuer.
            throw new InvalidOperationException($"identity provider \"{name}\": jwt needs at least one bound audience");
        }
        if (options.BoundCidrs.FirstOrDefault(c => !Cidr.TryParse(c, out _)) is { } bad)
        {
            throw new InvalidOperationException($"identity provider \"{name}\": \"{bad}\" is not a CIDR");
        }
        Name = name;
        _options = options;
        var keys = string.IsNullOrEmpty(options.JwksUrl)
            ? SigningKeySource.ForIssuer(options.Issuer, options.AllowHttp, http)
            : SigningKeySource.ForJwks(options.JwksUrl, options.AllowHttp, http);
        _validator = new JwtAccessTokenValidator(keys, options.Issuer, options.Audiences);
    }

    public string Name { get; }

    public string Type => "jwt";

    public bool Claims(string token) => TokenShape.UnverifiedIssuer(token) == _options.Issuer;

    public async Task<AuthenticationResult> AuthenticateAsync(string token, AuthenticationContext context, CancellationToken cancellationToken)
    {
        var (jwt, failure) = await _validator.ValidateAsync(token, cancellationToken);
        if (jwt is null)
        {
            return failure!;
        }
        if (_options.BoundCidrs.Count > 0 && (context.ClientAddress is null || !_options.BoundCidrs.Any(c => Cidr.Contains(c, context.ClientAddress))))
        {
            return AuthenticationResult.Forbidden($"requests from {context.ClientAddress?.ToString() ?? "an unknown address"} are outside the bound CIDRs");
        }
        var claims = ClaimMapping.StringClaims(jwt);
        foreach (var (claim, pattern) in _options.BoundClaims)
        {
            if (!claims.TryGetValue(claim, out var value))
            {
                return AuthenticationResult.Forbidden($"claim \"{claim}\" is missing; it must match \"{pattern}\"");
            }
            if (!Glob.IsMatch(pattern, value))
            {
                return AuthenticationResult.Forbidden($"claim \"{claim}\" value \"{value}\" does not match \"{pattern}\"");
            }
        }
        var username = claims.GetValueOrDefault(_options.UsernameClaim!);
        var subject = claims.GetValueOrDefault("sub");
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(subject))
        {
            return AuthenticationResult.Invalid($"the token has no \"{_options.UsernameClaim}\" or no \"sub\" claim");
        }
        return AuthenticationResult.Success(new AuthenticatedIdentity(Name, subject, username, claims.GetValueOrDefault(_options.EmailClaim),
            ClaimMapping.Values(jwt, _options.GroupsClaim), claims));
    }
}
