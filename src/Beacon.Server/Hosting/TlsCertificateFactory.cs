using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Beacon.Server.Hosting;

/// <summary>
/// The server's own TLS certificate, made at init: ECDSA P-256, self-signed, for localhost, 127.0.0.1
/// and the machine's name. Clients pin its SHA-256 fingerprint, so no public CA is involved.
/// </summary>
public static class TlsCertificateFactory
{
    public static (string CertificatePem, string KeyPem, string Fingerprint) Create(IEnumerable<string> extraNames, TimeProvider clock)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=beacon-server", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        foreach (var name in extraNames.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct())
        {
            if (IPAddress.TryParse(name, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(name);
            }
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = clock.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(5));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), Fingerprint(certificate));
    }

    /// <summary>SHA-256 over the DER certificate, lowercase hex: what clients pin.</summary>
    public static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));

    public static X509Certificate2 Load(DataDirectory data)
    {
        using var pem = X509Certificate2.CreateFromPemFile(data.TlsCertificate, data.TlsKey);
        // Re-import so the key is usable by Kestrel on every platform (an ephemeral PEM key is not, on some).
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
