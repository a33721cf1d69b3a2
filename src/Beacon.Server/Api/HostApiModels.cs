namespace Beacon.Server.Api;

/// <summary>POST /v1/hosts/enroll body.</summary>
public sealed class HostEnrollRequestBody
{
    public List<string>? Names { get; set; }

    public List<string>? PublicKeys { get; set; }
}

/// <summary>POST /v1/hosts/renew/challenge body.</summary>
public sealed class HostChallengeRequestBody
{
    public string? Certificate { get; set; }
}

/// <summary>POST /v1/hosts/renew body.</summary>
public sealed class HostRenewRequestBody
{
    public string? Certificate { get; set; }

    /// <summary>The base64 challenge as the challenge step returned it.</summary>
    public string? Challenge { get; set; }

    /// <summary>The armored SSHSIG over the challenge's raw bytes, namespace beacon-host-renew@beaconssh.</summary>
    public string? Signature { get; set; }
}

/// <summary>POST /v1/admin/host-tokens body.</summary>
public sealed class HostTokenRequestBody
{
    public List<string>? Groups { get; set; }

    /// <summary>How long the token stays usable, e.g. 1h (the default); at most 7d.</summary>
    public string? Ttl { get; set; }
}

/// <summary>The answer to enrollment and renewal.</summary>
public sealed record HostEnrollmentResponse(string HostId, IReadOnlyList<string> Groups, IReadOnlyList<HostCertificateResponse> Certificates);

/// <summary>One issued host certificate.</summary>
public sealed record HostCertificateResponse(string Certificate, string Serial, DateTimeOffset ValidAfter, DateTimeOffset ValidBefore);

public sealed record HostChallengeResponse(string Challenge, DateTimeOffset ExpiresAt);

public sealed record HostTokenResponse(string Token, DateTimeOffset ExpiresAt);

/// <summary>One host in the admin listing.</summary>
public sealed record HostSummary(string HostId, IReadOnlyList<string> Names, IReadOnlyList<string> Groups, DateTimeOffset EnrolledAt,
    DateTimeOffset? RenewedAt, DateTimeOffset ValidBefore);
