using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Krl;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>KRLs we build are judged by ssh-keygen -Q, and KRLs ssh-keygen builds are read by us; both must agree on every certificate and key.</summary>
public sealed class KrlOpenSshTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Ed25519PrivateKey _ca = Ed25519PrivateKey.Generate();
    private readonly Ed25519PrivateKey _otherCa = Ed25519PrivateKey.Generate();
    private readonly Ed25519PrivateKey _subject = Ed25519PrivateKey.Generate();

    public void Dispose()
    {
        _dir.Dispose();
        _ca.Dispose();
        _otherCa.Dispose();
        _subject.Dispose();
    }

    private SshCertificate Certificate(ulong serial, string keyId = "user", SshPrivateKey? ca = null, SshPublicKey? key = null) => new SshCertificateBuilder
    {
        PublicKey = key ?? _subject.PublicKey,
        Type = SshCertificateType.User,
        KeyId = keyId,
        Principals = ["alice"],
        ValidAfter = 0,
        ValidBefore = SshCertificate.Forever,
        Serial = serial,
    }.Sign(ca ?? _ca);

    /// <summary>ssh-keygen -Q: exit 0 when not revoked, 1 when revoked; anything else is an error.</summary>
    private bool OpenSshSaysRevoked(string krlPath, string keyText)
    {
        var file = _dir.Write($"q-{Guid.NewGuid():N}.pub", keyText + "\n");
        var result = OpenSsh.Keygen("-Q", "-f", krlPath, file);
        Assert.True(result.ExitCode is 0 or 1, $"ssh-keygen -Q failed: {result}");
        return result.ExitCode == 1;
    }

    public static TheoryData<string, ulong[]> SerialSets() => new()
    {
        { "scattered serials (list)", [3, 1000, 77_777, 9_000_000_000] },
        { "one long run (range)", Enumerable.Range(1000, 5000).Select(i => (ulong)i).ToArray() },
        { "a dense cluster with holes (bitmap)", Enumerable.Range(0, 600).Where(i => i % 3 != 0).Select(i => (ulong)(10_000 + i)).ToArray() },
        { "a mix of all three", [.. Enumerable.Range(1, 300).Where(i => i % 2 == 0).Select(i => (ulong)i), .. Enumerable.Range(5000, 2000).Select(i => (ulong)i), 1UL << 40, ulong.MaxValue] },
    };

    [RequiresOpenSshTheory]
    [MemberData(nameof(SerialSets))]
    public void SshKeygenAgreesWithOurKrlOnRevokedAndLiveSerials(string description, ulong[] revoked)
    {
        var builder = new KrlBuilder();
        foreach (var serial in revoked)
        {
            builder.RevokeSerial(_ca.PublicKey, serial);
        }
        var krl = builder.Build(1, DateTimeOffset.UtcNow, description);
        var path = _dir.File($"ours-{Guid.NewGuid():N}.krl");
        File.WriteAllBytes(path, KrlWriter.Write(krl));

        var probes = revoked.Take(5).Concat(revoked.TakeLast(3)).Concat(revoked.Select(s => s == ulong.MaxValue ? s - 1 : s + 1).Take(4))
            .Concat([2UL, 999UL, 123_456_789UL]).Distinct().Where(s => s != 0);
        foreach (var serial in probes)
        {
            var certificate = Certificate(serial);
            var ours = krl.IsRevoked(certificate);
            Assert.Equal(revoked.Contains(serial), ours);
            Assert.True(ours == OpenSshSaysRevoked(path, certificate.ToOpenSshString()), $"{description}: serial {serial}: we say {ours}");
        }
        // The same serial from another CA is not revoked.
        var foreign = Certificate(revoked[0], ca: _otherCa);
        Assert.False(krl.IsRevoked(foreign));
        Assert.False(OpenSshSaysRevoked(path, foreign.ToOpenSshString()));
        // And our own parse of what we wrote agrees.
        var parsed = KrlParser.Parse(File.ReadAllBytes(path));
        Assert.All(revoked.Take(20), serial => Assert.True(parsed.IsRevoked(Certificate(serial))));
    }

    [RequiresOpenSshFact]
    public void KeyIdsExplicitKeysAndFingerprintsAreJudgedAlike()
    {
        using var explicitKey = EcdsaPrivateKey.Generate(EcdsaCurve.P256);
        using var hashedKey = Ed25519PrivateKey.Generate();
        using var liveKey = Ed25519PrivateKey.Generate();
        var krl = new KrlBuilder()
            .RevokeKeyId(_ca.PublicKey, "compromised-laptop")
            .RevokeKeyId(null, "revoked-everywhere")
            .RevokeKey(explicitKey.PublicKey)
            .RevokeKeySha256(hashedKey.PublicKey)
            .Build(7, DateTimeOffset.UtcNow);
        var path = _dir.File("mixed.krl");
        File.WriteAllBytes(path, KrlWriter.Write(krl));

        var cases = new (string Name, string Text, bool Revoked)[]
        {
            ("key id of this CA", Certificate(11, "compromised-laptop").ToOpenSshString(), true),
            ("same key id from another CA", Certificate(12, "compromised-laptop", _otherCa).ToOpenSshString(), false),
            ("wildcard key id from another CA", Certificate(13, "revoked-everywhere", _otherCa).ToOpenSshString(), true),
            ("explicit key", explicitKey.PublicKey.ToOpenSshString(), true),
            ("certificate of the explicit key", Certificate(14, key: explicitKey.PublicKey).ToOpenSshString(), true),
            ("sha256 fingerprint", hashedKey.PublicKey.ToOpenSshString(), true),
            ("live key", liveKey.PublicKey.ToOpenSshString(), false),
            ("live certificate", Certificate(15, "fine").ToOpenSshString(), false),
        };
        foreach (var (name, text, revoked) in cases)
        {
            Assert.True(revoked == OpenSshSaysRevoked(path, text), $"ssh-keygen on {name}");
            var ours = text.Contains("-cert-v01@", StringComparison.Ordinal)
                ? krl.IsRevoked(SshCertificateParser.ParseLine(text))
                : krl.IsRevoked(SshPublicKeyParser.ParseLine(text));
            Assert.True(revoked == ours, $"ours on {name}");
        }
    }

    [RequiresOpenSshFact]
    public void WeReadKrlsMadeBySshKeygen()
    {
        var caPub = _dir.Write("ca.pub", _ca.PublicKey.ToOpenSshString() + "\n");
        using var revokedKey = Ed25519PrivateKey.Generate();
        var spec = _dir.Write("spec", string.Join('\n',
            "serial: 5",
            "serial: 100-200",
            "serial: 1000",
            "serial: 1002",
            "serial: 1004",
            "id: stolen",
            $"key: {revokedKey.PublicKey.ToOpenSshString()}",
            $"hash: {Ed25519PrivateKey.Generate().PublicKey.Fingerprint}") + "\n");
        var path = _dir.File("theirs.krl");
        var made = OpenSsh.Keygen("-k", "-f", path, "-s", caPub, "-z", "42", spec);
        Assert.True(made.ExitCode == 0, made.ToString());

        var krl = KrlParser.Parse(File.ReadAllBytes(path));
        Assert.Equal(42UL, krl.Version);
        foreach (var serial in new ulong[] { 5, 100, 150, 200, 1000, 1002, 1004, 4, 99, 201, 1001, 1003 })
        {
            var certificate = Certificate(serial);
            Assert.True(OpenSshSaysRevoked(path, certificate.ToOpenSshString()) == krl.IsRevoked(certificate), $"serial {serial}");
        }
        Assert.True(krl.IsRevoked(Certificate(77, "stolen")));
        Assert.True(krl.IsRevoked(revokedKey.PublicKey));
        Assert.False(krl.IsRevoked(_subject.PublicKey));

        // Re-encoded by us, ssh-keygen still reads it the same way.
        var ours = _dir.File("reencoded.krl");
        File.WriteAllBytes(ours, KrlWriter.Write(krl));
        foreach (var serial in new ulong[] { 5, 150, 1002, 1003 })
        {
            Assert.Equal(OpenSshSaysRevoked(path, Certificate(serial).ToOpenSshString()), OpenSshSaysRevoked(ours, Certificate(serial).ToOpenSshString()));
        }
    }

    [RequiresOpenSshFact]
    public void SshKeygenUpdatesAKrlWeWrote()
    {
        var path = _dir.File("update.krl");
        File.WriteAllBytes(path, KrlWriter.Write(new KrlBuilder().RevokeSerial(_ca.PublicKey, 9).Build(3, DateTimeOffset.UtcNow)));
        var caPub = _dir.Write("ca2.pub", _ca.PublicKey.ToOpenSshString() + "\n");
        var spec = _dir.Write("spec2", "serial: 10\n");
        var updated = OpenSsh.Keygen("-k", "-u", "-f", path, "-s", caPub, spec);
        Assert.True(updated.ExitCode == 0, updated.ToString());
        var krl = KrlParser.Parse(File.ReadAllBytes(path));
        Assert.True(krl.IsRevoked(Certificate(9)));
        Assert.True(krl.IsRevoked(Certificate(10)));
        Assert.False(krl.IsRevoked(Certificate(11)));
    }
}
