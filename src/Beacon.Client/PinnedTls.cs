using System.Net.Security;
using System.Security.Cryptography;

namespace Beacon.Client;

/// <summary>
/// TLS pinned to the server's own certificate by its SHA-256 fingerprint (as `beacon-server init`
/// prints it), with no certificate authority involved: no trust on first use, no public CA.
/// </summary>
public static class PinnedTls
{
    /// <summary>A handler that accepts exactly the certificate with this fingerprint.</summary>
    /// <exception cref="ArgumentException">The fingerprint is not 64 hex digits (colons allowed).</exception>
    public static SocketsHttpHandler CreateHandler(string fingerprint)
    {
        var pinned = Normalize(fingerprint);
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Only the pinned certificate passes: a valid certificate from any CA is still refused.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256)) == pinned,
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
    }

    /// <summary>Lowercase hex without separators.</summary>
    public static string Normalize(string fingerprint)
    {
        var hex = fingerprint.Replace(":", "", StringComparison.Ordinal).Trim().ToLowerInvariant();
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("a TLS fingerprint is the SHA-256 of the certificate: 64 hex digits", nameof(fingerprint));
        }
        return hex;
    }
}
