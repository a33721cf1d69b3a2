using System.Diagnostics;
using System.Globalization;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Bench;

/// <summary>
/// The signing target of DESIGN.md: certificate build+sign in process is at least 80% of the raw
/// Ed25519 signature rate of the same library on the same core. ECDSA P-256 and RSA-3072 CAs are
/// measured beside their own raw rates.
/// </summary>
internal static class SigningBenchmark
{
    public const double Target = 0.8;

    public static int Run(BenchSettings settings, TextWriter output)
    {
        var pinned = PinToOneCore();
        output.WriteLine($"beacon-bench signing: {settings.Rounds} rounds x {settings.Duration.TotalSeconds:0.#}s per rate, alternating in 20 ms slices; " +
            $"medians of rates and of per-round ratios; warm-up {settings.WarmUp.TotalSeconds:0.#}s, single thread{(pinned ? ", pinned to CPU 0" : "")}");
        output.WriteLine("subject key: Ed25519; certificate: user, 2 principals, force-command, source-address, 5 extensions");
        output.WriteLine();
        output.WriteLine($"{"CA key",-12} {"raw sign/s",12} {"cert sign/s",12} {"ratio",7}  {"message",7}");

        var cases = new (string Name, SshPrivateKey Key)[]
        {
            ("ed25519", Ed25519PrivateKey.Generate()),
            ("ecdsa-p256", SshPrivateKey.Generate(SshKeyAlgorithm.Ecdsa, 256)),
            ("rsa-3072", SshPrivateKey.Generate(SshKeyAlgorithm.Rsa, 3072)),
        };
        using var subject = Ed25519PrivateKey.Generate();
        double ed25519Ratio = 0;
        foreach (var (name, ca) in cases)
        {
            // The raw signature covers a message of exactly the size a certificate's signed part has.
            var message = NewBuilder(subject.PublicKey).BytesToSign(ca.PublicKey);
            SshCertificate? last = null;
            var rounds = RateMeter.Rounds(settings,
                () => ca.Sign(message),
                () => last = NewBuilder(subject.PublicKey).Sign(ca));
            if (last is null || !last.VerifySignature())
            {
                throw new InvalidOperationException($"{name}: the benchmarked certificate does not verify");
            }
            var raw = RateMeter.Median(rounds.Select(r => r[0]));
            var certificate = RateMeter.Median(rounds.Select(r => r[1]));
            var ratio = RateMeter.Median(rounds.Select(r => r[1] / r[0]));
            if (name == "ed25519")
            {
                ed25519Ratio = ratio;
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-12} {raw,12:N0} {certificate,12:N0} {ratio,7:0.000}  {message.Length,5} B"));
            ca.Dispose();
        }
        output.WriteLine();
        var pass = ed25519Ratio >= Target;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target: Ed25519 certificate signing >= {Target:0.00} of raw Ed25519 signing: {ed25519Ratio:0.000} {(pass ? "PASS" : "FAIL")}"));
        return pass ? 0 : 1;
    }

    private static SshCertificateBuilder NewBuilder(SshPublicKey subject) => new()
    {
        PublicKey = subject,
        Type = SshCertificateType.User,
        KeyId = "alice@example.com github request 7f3c9a2e-5b1d-4c8e-9f60-2a7d1e4b8c35",
        Principals = ["alice", "deploy"],
        ValidAfter = 1_767_225_600,
        ValidBefore = 1_767_225_600 + 900,
        CriticalOptions =
        [
            SshCertificateOption.WithValue(SshCertificateOptions.ForceCommand, "/usr/local/bin/deploy"),
            SshCertificateOption.WithValue(SshCertificateOptions.SourceAddress, "10.0.0.0/8"),
        ],
        Extensions = [.. SshCertificateOptions.DefaultUserExtensions.Select(SshCertificateOption.Flag)],
    };

    private static bool PinToOneCore()
    {
        try
        {
            Process.GetCurrentProcess().ProcessorAffinity = 1;
            return true;
        }
        catch (Exception e) when (e is PlatformNotSupportedException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }
}
