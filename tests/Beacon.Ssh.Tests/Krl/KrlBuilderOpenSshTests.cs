using Beacon.Ssh.Krl;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>KRLs we build, judged by the real ssh-keygen: it must load them and agree with us on every certificate and key.</summary>
public sealed class KrlBuilderOpenSshTests(KrlWorld world) : IClassFixture<KrlWorld>
{
    [RequiresOpenSshTheory]
    [MemberData(nameof(KrlScenarios.Names), MemberType = typeof(KrlScenarios))]
    public void SshKeygenAndOurQueryAgreeOnEveryCertificateAndKey(string description)
    {
        var bytes = KrlScenarios.Build(description, world).Build();
        var path = world.WriteKrl("scenario.krl", bytes);
        var verdicts = SshKeygenKrl.Query(path, world.ProbePaths);
        var krl = KrlParser.Parse(bytes);
        var expectation = KrlScenarios.All[description].Revokes;
        foreach (var probe in world.Probes)
        {
            var expected = expectation(probe, world);
            Assert.True(expected == verdicts[probe.Path], $"{description}: ssh-keygen says {probe} is {Verdict(verdicts[probe.Path])}, expected {Verdict(expected)}");
            Assert.True(expected == probe.IsRevokedBy(krl), $"{description}: we say {probe} is {Verdict(!expected)}, expected {Verdict(expected)}");
        }
    }

    [RequiresOpenSshFact]
    public void SshKeygenListsWhatOurKrlRevokes()
    {
        var builder = new KrlBuilder { Version = 9, GeneratedDate = 1_700_000_000, Comment = "listed by ssh-keygen" }
            .RevokeSerial(world.CaEd25519.PublicKey, 7)
            .RevokeSerialRange(world.CaEd25519.PublicKey, 1000, 2000)
            .RevokeKeyId(world.CaEd25519.PublicKey, "alice")
            .RevokeKeyId(null, "mallory")
            .RevokeKey(world.Subjects[0])
            .RevokeKeyBySha256(world.Subjects[1]);
        var path = world.WriteKrl("listed.krl", builder.Build());

        var result = OpenSsh.Keygen("-Q", "-l", "-f", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        var output = result.StandardOutput;
        Assert.Contains("# KRL version 9", output);
        Assert.Contains("# Comment: listed by ssh-keygen", output);
        Assert.Contains($"# CA key ssh-ed25519 {world.CaEd25519.PublicKey.Fingerprint}", output);
        Assert.Contains("serial: 7\n", output);
        Assert.Contains("serial: 1000-2000\n", output);
        Assert.Contains("id: alice\n", output);
        Assert.Contains("# Wildcard CA", output);
        Assert.Contains("id: mallory", output);
        Assert.Contains($"hash: {world.Subjects[0].Fingerprint} # ssh-ed25519", output);
        var sha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(world.Subjects[1].Blob)).ToLowerInvariant();
        Assert.Contains($"hash: SHA256:{sha256}", output);
    }

    [RequiresOpenSshFact]
    public void SshKeygenAcceptsOurEmptyKrl()
    {
        var path = world.WriteKrl("empty.krl", new KrlBuilder().Build());

        var verdicts = SshKeygenKrl.Query(path, world.ProbePaths);

        Assert.DoesNotContain(true, verdicts.Values);
    }

    [RequiresOpenSshFact]
    public void SshKeygenUpdatesOurKrlAndKeepsWhatItRevoked()
    {
        var ca = world.CaEd25519.PublicKey;
        var ours = new KrlBuilder { Version = 5, GeneratedDate = 1_700_000_000 }
            .RevokeSerials(ca, [3, 5, 40001])
            .RevokeSerialRange(ca, 16384, 32768)
            .RevokeKeyId(world.CaEcdsa.PublicKey, "bob")
            .RevokeKeyBySha256(world.Subjects[2])
            .ToKeyRevocationList();
        var path = world.WriteKrl("update.krl", ours.Encode());
        var caPath = world.Write("update-ca.pub", ca.ToOpenSshString() + "\n");
        var spec = world.Write("update.spec", "serial: 100\nid: carol\n");

        var result = OpenSsh.Keygen("-k", "-u", "-f", path, "-s", caPath, spec);

        Assert.True(result.ExitCode == 0, result.ToString());
        var updated = KrlParser.Parse(File.ReadAllBytes(path));
        Assert.Equal(5UL, updated.Version);
        var expected = KrlBuilder.From(ours).RevokeSerial(ca, 100).RevokeKeyId(ca, "carol").ToKeyRevocationList();
        Assert.Equal(expected, updated);
    }

    private static string Verdict(bool revoked) => revoked ? "REVOKED" : "ok";
}
