using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>
/// Three CAs (Ed25519, ECDSA, RSA), four subject keys and about a hundred certificates with serials at
/// the edges that matter (bitmap boundaries, the largest serial, serial 0) and rotating key IDs, all
/// written to a temporary directory as ssh-keygen reads them. Shared by the tests of one class.
/// </summary>
public sealed class KrlWorld : IDisposable
{
    public static readonly string[] KeyIds = ["alice", "bob", "carol", "dave"];

    public static readonly ulong[] Serials =
    [
        1, 2, 3, 4, 5, 100, 999, 1000, 1001, 1500, 2000, 2001,
        16383, 16384, 16385, 16386, 32767, 32768, 32769, 32770, 40001, 40002, 40003,
        1UL << 63, ulong.MaxValue - 2, ulong.MaxValue - 1, ulong.MaxValue,
        0x5f3a_91c2_0d4e_7b16, 0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210,
    ];

    private readonly TempDirectory _temp = new("beacon-krl-");

    public KrlWorld()
    {
        CaEd25519 = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
        CaEcdsa = SshPrivateKey.Generate(SshKeyAlgorithm.Ecdsa, 256);
        CaRsa = SshPrivateKey.Generate(SshKeyAlgorithm.Rsa, 3072);
        Subjects =
        [
            PublicKeyOf(SshKeyAlgorithm.Ed25519),
            PublicKeyOf(SshKeyAlgorithm.Ed25519),
            PublicKeyOf(SshKeyAlgorithm.Ecdsa, 384),
            PublicKeyOf(SshKeyAlgorithm.Rsa, 2048),
        ];
        Unrelated = PublicKeyOf(SshKeyAlgorithm.Ed25519);

        var probes = new List<KrlProbe>();
        foreach (var (ca, caName) in new[] { (CaEd25519, "ed"), (CaEcdsa, "ecdsa"), (CaRsa, "rsa") })
        {
            for (var i = 0; i < Serials.Length; i++)
            {
                // Key IDs change every four serials and subjects every serial, so no key ID goes with one key only.
                probes.Add(Certify($"{caName}-s{Serials[i]}", ca, Subjects[i % Subjects.Length], KeyIds[i / 4 % KeyIds.Length], Serials[i]));
            }
            for (var i = 0; i < 3; i++)
            {
                probes.Add(Certify($"{caName}-s0-{KeyIds[i]}", ca, Subjects[(i + 1) % Subjects.Length], KeyIds[i], 0));
            }
        }
        var plain = Subjects.Select((key, i) => ($"subject{i}", key))
            .Append(("ca-ed25519", CaEd25519.PublicKey))
            .Append(("ca-ecdsa", CaEcdsa.PublicKey))
            .Append(("ca-rsa", CaRsa.PublicKey))
            .Append(("unrelated", Unrelated));
        foreach (var (name, key) in plain)
        {
            probes.Add(new KrlProbe(name, _temp.Write(name + ".pub", key.ToOpenSshString(name) + "\n"), null, key));
        }
        Probes = probes;
    }

    public SshPrivateKey CaEd25519 { get; }

    public SshPrivateKey CaEcdsa { get; }

    public SshPrivateKey CaRsa { get; }

    public SshPublicKey[] Subjects { get; }

    /// <summary>A key nothing revokes and nothing is signed for.</summary>
    public SshPublicKey Unrelated { get; }

    public IReadOnlyList<KrlProbe> Probes { get; }

    public IReadOnlyList<string> ProbePaths => [.. Probes.Select(p => p.Path)];

    public string WriteKrl(string name, byte[] krl)
    {
        var path = _temp.File(name);
        File.WriteAllBytes(path, krl);
        return path;
    }

    public string Write(string name, string content) => _temp.Write(name, content);

    public KrlProbe Probe(string name) => Probes.Single(p => p.Name == name);

    public void Dispose()
    {
        CaEd25519.Dispose();
        CaEcdsa.Dispose();
        CaRsa.Dispose();
        _temp.Dispose();
    }

    private static SshPublicKey PublicKeyOf(SshKeyAlgorithm algorithm, int bits = 0)
    {
        using var key = SshPrivateKey.Generate(algorithm, bits);
        return key.PublicKey;
    }

    private KrlProbe Certify(string name, SshPrivateKey ca, SshPublicKey subject, string keyId, ulong serial)
    {
        var certificate = new SshCertificateBuilder
        {
            PublicKey = subject,
            Type = SshCertificateType.User,
            KeyId = keyId,
            Principals = ["alice"],
            ValidAfter = 0,
            ValidBefore = SshCertificate.Forever,
            Serial = serial,
        }.Sign(ca);
        return new KrlProbe(name, _temp.Write(name + "-cert.pub", certificate.ToOpenSshString() + "\n"), certificate, null);
    }
}

/// <summary>A certificate or plain key on disk, to ask both ssh-keygen and our KRL about.</summary>
public sealed record KrlProbe(string Name, string Path, SshCertificate? Certificate, SshPublicKey? Key)
{
    /// <summary>The plain key: the certified key of a certificate, or the key itself.</summary>
    public SshPublicKey SubjectKey => Certificate?.PublicKey ?? Key!;

    public SshPublicKey? Ca => Certificate?.SignatureKey;

    public bool IsCertificate => Certificate is not null;

    public ulong Serial => Certificate?.Serial ?? 0;

    public string? KeyId => Certificate?.KeyId;

    public bool SignedBy(SshPrivateKey ca) => Certificate is not null && Certificate.SignatureKey.Equals(ca.PublicKey);

    public bool IsRevokedBy(Beacon.Ssh.Krl.KeyRevocationList krl) =>
        Certificate is not null ? krl.IsRevoked(Certificate) : krl.IsRevoked(Key!);

    public override string ToString() => Name;
}
