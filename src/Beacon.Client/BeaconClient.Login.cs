namespace Beacon.Client;

/// <summary>What the user CLI asks before it has any token: how to log in, and the host trust line.</summary>
public sealed partial class BeaconClient
{
    /// <summary>The identity providers the server accepts and how to log in with each (GET /v1/login-config, public).</summary>
    /// <exception cref="BeaconApiException">Refused or unreachable.</exception>
    public async Task<LoginConfig> GetLoginConfigAsync(CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "v1/login-config");
        var body = await SendAsync<LoginConfig>(message, cancellationToken);
        return body with { Providers = body.Providers ?? [] };
    }

    /// <summary>The server's ready `@cert-authority PATTERNS KEY` known_hosts line for the host CA.</summary>
    /// <param name="hosts">Comma-separated host patterns; every host (*) when null.</param>
    /// <exception cref="BeaconApiException">Refused or unreachable.</exception>
    public async Task<string> GetKnownHostsLineAsync(string? hosts = null, CancellationToken cancellationToken = default)
    {
        var path = hosts is null ? "v1/trust/known_hosts" : "v1/trust/known_hosts?hosts=" + Uri.EscapeDataString(hosts);
        return (await GetTextAsync(path, cancellationToken)).Trim();
    }
}

/// <summary>GET /v1/login-config: the providers the server accepts.</summary>
public sealed record LoginConfig(IReadOnlyList<LoginProviderInfo> Providers);

/// <summary>
/// One identity provider and its public login parameters: type oidc (discovery at Issuer), github (the
/// device flow endpoints), jwt (CI tokens: the audiences it accepts) or token (one-time tokens).
/// </summary>
public sealed record LoginProviderInfo(string Name, string Type)
{
    /// <summary>Whether the CLI can log in with it through the device flow (a client id is configured).</summary>
    public bool DeviceFlow { get; init; }

    public string? Issuer { get; init; }

    public string? ClientId { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    public string? Resource { get; init; }

    public string? Audience { get; init; }

    public IReadOnlyList<string>? Audiences { get; init; }

    public string? DeviceAuthorizationEndpoint { get; init; }

    public string? TokenEndpoint { get; init; }
}
