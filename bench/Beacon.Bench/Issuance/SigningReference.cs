using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Bench.Issuance;

/// <summary>
/// The reference the HTTP rates are set against: building and signing, in process on one thread, the
/// certificate the server issues in the benchmark (Ed25519 CA and subject key, one principal, permit-pty).
/// </summary>
internal static class SigningReference
{
    public static double CertificatesPerSecond()
    {
        using var ca = Ed25519PrivateKey.Generate();
        using var subject = Ed25519PrivateKey.Generate();
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        SshCertificate? last = null;
        var rounds = RateMeter.Rounds(new BenchSettings { Duration = TimeSpan.FromSeconds(1), Rounds = 3, WarmUp = TimeSpan.FromSeconds(1) },
            () => last = new SshCertificateBuilder
            {
                PublicKey = subject.PublicKey,
                Type = SshCertificateType.User,
                KeyId = "beacon:bench:bench-7:0f3c9a2e5b1d4c8e",
                Principals = ["deploy"],
                ValidAfter = now - 60,
                ValidBefore = now + 900,
                Extensions = [SshCertificateOption.Flag("permit-pty")],
            }.Sign(ca));
        if (last is null || !last.VerifySignature())
        {
            throw new InvalidOperationException("the reference certificate does not verify");
        }
        return RateMeter.Median(rounds.Select(r => r[0]));
    }
}
