using System.Diagnostics;
using System.Globalization;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Krl;

namespace Beacon.Bench.Host;

/// <summary>
/// DESIGN's target "a KRL with a million revoked serials stays compact and quick to build": our KrlBuilder
/// on 1,000,000 serials (random 64-bit ones, as the server issues; a sequential run; sequential with gaps),
/// its size and build time, the parse time a host pays, and ssh-keygen -k on the same serials as the reference.
/// </summary>
internal static class KrlBenchmark
{
    private const int Serials = 1_000_000;

    public static int Run(BenchSettings settings, TextWriter output)
    {
        using var ca = Ed25519PrivateKey.Generate();
        var random = new Random(20261123);
        var cases = new (string Name, ulong[] Serials)[]
        {
            ("random 64-bit", Enumerable.Range(0, Serials).Select(_ => (ulong)random.NextInt64(1, long.MaxValue) * 2).ToArray()),
            ("sequential", Enumerable.Range(1, Serials).Select(i => (ulong)i).ToArray()),
            ("every 3rd of 3M", Enumerable.Range(1, Serials).Select(i => (ulong)i * 3).ToArray()),
        };
        output.WriteLine($"beacon-bench krl: {Serials:N0} revoked serials under one Ed25519 CA; median of {settings.Rounds} builds; reference: ssh-keygen -k on the same serials");
        output.WriteLine();
        output.WriteLine($"{"serials",-16} {"size",12} {"B/serial",9} {"build ms",9} {"parse ms",9} {"ssh-keygen size",16} {"ssh-keygen ms",14} {"sshd view",10}");
        var ok = true;
        foreach (var (name, serials) in cases)
        {
            byte[] krl = [];
            var builds = new List<double>();
            for (var round = 0; round < settings.Rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                krl = new KrlBuilder { Version = 1 }.RevokeSerials(ca.PublicKey, serials).Build();
                builds.Add(watch.Elapsed.TotalMilliseconds);
            }
            var parses = new List<double>();
            KeyRevocationList parsed = null!;
            for (var round = 0; round < settings.Rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                parsed = KrlParser.Parse(krl);
                parses.Add(watch.Elapsed.TotalMilliseconds);
            }
            var (referenceSize, referenceMs, agrees) = SshKeygenReference(ca, serials, krl);
            ok &= agrees && parsed.CertificateSections.Count == 1;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-16} {krl.Length,12:N0} {(double)krl.Length / serials.Length,9:0.00} {Median(builds),9:0} {Median(parses),9:0} {referenceSize,16:N0} {referenceMs,14:0} {(agrees ? "agrees" : "DIFFERS"),10}"));
        }
        output.WriteLine();
        output.WriteLine("sshd view: ssh-keygen -Q on our KRL calls a certificate with a revoked serial revoked and one with another serial not");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// ssh-keygen -k -s CA.pub on a spec of "serial: N" lines: its KRL size and time; and ssh-keygen -Q on our
    /// KRL with two certificates of the CA, one revoked serial and one not, as sshd would see them.
    /// </summary>
    private static (long Size, double Milliseconds, bool Agrees) SshKeygenReference(SshPrivateKey ca, ulong[] serials, byte[] ours)
    {
        var directory = Directory.CreateTempSubdirectory("beacon-bench-krl-").FullName;
        try
        {
            var caFile = Path.Combine(directory, "ca.pub");
            File.WriteAllText(caFile, ca.PublicKey.ToOpenSshString() + "\n");
            var spec = Path.Combine(directory, "spec");
            File.WriteAllLines(spec, serials.Select(s => string.Create(CultureInfo.InvariantCulture, $"serial: {s}")));
            var reference = Path.Combine(directory, "reference.krl");
            var watch = Stopwatch.StartNew();
            var built = Execute("ssh-keygen", "-q", "-k", "-f", reference, "-s", caFile, spec);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            var size = built == 0 && File.Exists(reference) ? new FileInfo(reference).Length : -1;

            var oursFile = Path.Combine(directory, "ours.krl");
            File.WriteAllBytes(oursFile, ours);
            var unrevoked = Enumerable.Range(1, 1000).Select(i => (ulong)i * 7919 + 5).First(s => Array.IndexOf(serials, s) < 0);
            var revokedIsRevoked = Execute("ssh-keygen", "-Q", "-f", oursFile, Certificate(directory, ca, serials[serials.Length / 2])) != 0;
            var otherIsNot = Execute("ssh-keygen", "-Q", "-f", oursFile, Certificate(directory, ca, unrevoked)) == 0;
            return (size, elapsed, revokedIsRevoked && otherIsNot);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Certificate(string directory, SshPrivateKey ca, ulong serial)
    {
        using var subject = Ed25519PrivateKey.Generate();
        var certificate = new SshCertificateBuilder
        {
            PublicKey = subject.PublicKey, Type = SshCertificateType.User, KeyId = "bench", Principals = ["bench"],
            ValidAfter = 0, ValidBefore = SshCertificate.Forever, Serial = serial,
        }.Sign(ca);
        var file = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"cert-{serial}.pub"));
        File.WriteAllText(file, certificate.ToOpenSshString() + "\n");
        return file;
    }

    private static int Execute(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
