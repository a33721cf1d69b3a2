namespace Beacon.Cli.Login;

/// <summary>The HTTP client for identity providers: a time limit per request and a bounded answer.</summary>
internal static class IdentityProviderHttp
{
    /// <summary>Sanity bound, not in any spec: the largest discovery document or token answer read.</summary>
    public const int MaxResponseBytes = 256 * 1024;

    public static HttpClient Create() => new(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(15),
        MaxResponseContentBufferSize = MaxResponseBytes,
    };
}
