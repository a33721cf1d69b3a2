using System.Net;
using Beacon.Server.Policy;

namespace Beacon.Server.Issuance;

/// <summary>Everything the signing path needs from one HTTP request.</summary>
public sealed record UserCertificateRequest(
    string BearerToken,
    string? ProviderName,
    string? PublicKey,
    CertificateRequestShape Shape,
    IPAddress? ClientAddress);
