using System.Security.Cryptography;
using Beacon.Server.Ca;
using Beacon.Server.Signing;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Commands.Ca.Sign;

/// <summary>
/// The offline signing path, top to bottom: read and check the subject key, decrypt the CA key, build
/// and sign the certificate, write it.
/// </summary>
internal static class CaSigner
{
    /// <exception cref="CaException">A bad or refused subject key, a missing CA, a wrong password, or an unwritable output.</exception>
    public static SshCertificate Sign(CaSignRequest request, TimeProvider clock, out string outputPath)
    {
        var (subject, comment) = PublicKeyFile.Read(request.PublicKeyPath);
        var caKeys = new[] { CaKind.User, CaKind.Host }
            .Where(k => k == request.Kind || File.Exists(request.Directory.PublicKeyPath(k)))
            .Select(request.Directory.LoadPublicKey)
            .ToList();
        if (SubjectKeyPolicy.Check(subject, caKeys) is { } refusal)
        {
            throw new CaException($"{request.PublicKeyPath}: {refusal}");
        }

        var password = PasswordFile.Read(request.PasswordFile);
        SshPrivateKey ca;
        try
        {
            ca = request.Directory.LoadPrivateKey(request.Kind, password);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }

        SshCertificate certificate;
        using (ca)
        {
            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            var builder = new SshCertificateBuilder
            {
                PublicKey = subject,
                Type = request.Kind == CaKind.User ? SshCertificateType.User : SshCertificateType.Host,
                KeyId = request.KeyId,
                Principals = request.Principals,
                ValidAfter = (ulong)(now - (long)CaSignRequest.ClockSkew.TotalSeconds),
                ValidBefore = (ulong)(now + (long)request.Validity.TotalSeconds),
                Serial = request.Serial ?? SshCertificateBuilder.RandomSerial(),
                CriticalOptions = request.CriticalOptions,
                Extensions = request.Kind == CaKind.Host ? [] : request.Extensions ?? DefaultUserExtensions,
            };
            // RSA CAs sign rsa-sha2-512 (their default); SHA-1 ssh-rsa is never produced.
            certificate = builder.Sign(ca);
        }

        outputPath = request.ResolvedOutputPath;
        WriteCertificate(outputPath, certificate.ToOpenSshString(comment));
        return certificate;
    }

    private static IReadOnlyList<SshCertificateOption> DefaultUserExtensions { get; } =
        SshCertificateOptions.DefaultUserExtensions.Select(SshCertificateOption.Flag).ToList();

    private static void WriteCertificate(string path, string line)
    {
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            }))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(line);
                writer.Write('\n');
            }
            // Like ssh-keygen, an existing certificate file is replaced; the rename makes it all or nothing.
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
            throw new CaException($"{path}: cannot write the certificate: {e.Message}");
        }
    }
}
