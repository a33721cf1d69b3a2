namespace Beacon.Server.Api;

/// <summary>POST /v1/certificates/user body; all but public_key optional.</summary>
public sealed class UserCertificateRequestBody
{
    public string? PublicKey { get; set; }

    public List<string>? Principals { get; set; }

    public string? HostGroup { get; set; }

    public string? Ttl { get; set; }

    public List<string>? Extensions { get; set; }

    public Dictionary<string, string>? CriticalOptions { get; set; }
}

/// <summary>201 body: the one-line certificate and its fields.</summary>
public sealed record UserCertificateResponse(
    string Certificate,
    string Serial,
    string KeyId,
    long ValidAfter,
    long ValidBefore,
    IReadOnlyList<string> Principals);

/// <summary>One certificate in a history listing.</summary>
public sealed record CertificateSummary(
    string Serial,
    string Type,
    string KeyId,
    IReadOnlyList<string> Principals,
    string? HostGroup,
    long ValidAfter,
    long ValidBefore,
    long IssuedAt,
    string? ClientAddress,
    bool Revoked,
    string PublicKeyFingerprint);

public sealed record PageResponse<T>(IReadOnlyList<T> Items, long Total, int Limit, int Offset);
