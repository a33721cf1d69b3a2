namespace Beacon.Cli.Login;

/// <summary>Where a device flow runs and what it asks for (RFC 8628 section 3.1).</summary>
internal sealed record DeviceFlowEndpoints(Uri DeviceAuthorization, Uri Token, string ClientId, IReadOnlyList<KeyValuePair<string, string>> ExtraParameters)
{
    /// <summary>GitHub answers form-encoded and with HTTP 200 for errors unless asked for JSON.</summary>
    public bool AcceptJson { get; init; } = true;
}

/// <summary>The device authorization response (RFC 8628 section 3.2).</summary>
internal sealed record DeviceAuthorization(string DeviceCode, string UserCode, string VerificationUri, string? VerificationUriComplete,
    TimeSpan ExpiresIn, TimeSpan Interval);

/// <summary>The tokens the device flow ends with.</summary>
internal sealed record DeviceFlowTokens(string AccessToken, TimeSpan? ExpiresIn);
