namespace Beacon.Server.Identity;

/// <summary>Who a token says the caller is, as checked with the provider on this request.</summary>
/// <param name="Provider">The configured provider's name.</param>
/// <param name="Subject">The provider's stable identifier for the caller.</param>
/// <param name="Username">The name policies and principals use.</param>
/// <param name="Email">The e-mail address, when the provider gives one.</param>
/// <param name="Groups">Groups, organisations or teams the provider vouches for.</param>
/// <param name="Claims">String claims, for claim-glob subjects (CI tokens).</param>
/// <param name="Principals">Principals fixed by the credential itself (one-time tokens); null when policy decides.</param>
public sealed record AuthenticatedIdentity(
    string Provider,
    string Subject,
    string Username,
    string? Email,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, string> Claims,
    IReadOnlyList<string>? Principals = null)
{
    public string Actor => $"{Provider}:{Subject}";
}

/// <summary>The outcome of checking a token: an identity, or a refusal with its HTTP status.</summary>
public sealed record AuthenticationResult(AuthenticatedIdentity? Identity, int Status, string? Reason)
{
    public static AuthenticationResult Success(AuthenticatedIdentity identity) => new(identity, 200, null);

    /// <summary>401: the token is not valid (expired, forged, revoked, unknown).</summary>
    public static AuthenticationResult Invalid(string reason) => new(null, 401, reason);

    /// <summary>403: the token is valid but a binding refuses it (organisation, claim, source address).</summary>
    public static AuthenticationResult Forbidden(string reason) => new(null, 403, reason);

    /// <summary>503: the provider could not be asked; nothing is issued.</summary>
    public static AuthenticationResult Unavailable(string reason) => new(null, 503, reason);

    public bool Succeeded => Identity is not null;
}

/// <summary>What a provider may look at besides the token.</summary>
/// <param name="ClientAddress">The caller's address, for bound CIDRs.</param>
/// <param name="ForIssuance">True when a certificate will be issued: single-use credentials are consumed only then.</param>
public sealed record AuthenticationContext(System.Net.IPAddress? ClientAddress, bool ForIssuance = true);
