using Beacon.Ssh.Krl;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>
/// Revocations to build with <see cref="KrlBuilder"/>, each with an independent statement of which probes
/// of a <see cref="KrlWorld"/> it revokes, so ssh-keygen, our query and the statement can be compared.
/// </summary>
public static class KrlScenarios
{
    public sealed record Scenario(Action<KrlBuilder, KrlWorld> Revoke, Func<KrlProbe, KrlWorld, bool> Revokes);

    private static readonly ulong[] Sparse = [5, 1001, 1UL << 63, ulong.MaxValue - 1, 0x0123_4567_89ab_cdef];

    public static readonly IReadOnlyDictionary<string, Scenario> All = new Dictionary<string, Scenario>
    {
        ["an empty KRL revokes nothing"] = new(
            (_, _) => { },
            (_, _) => false),

        ["sparse serials are listed"] = new(
            (b, w) => b.RevokeSerials(w.CaEd25519.PublicKey, Sparse),
            (p, w) => p.SignedBy(w.CaEd25519) && Sparse.Contains(p.Serial)),

        ["a run of serials is a range"] = new(
            (b, w) => b.RevokeSerialRange(w.CaEd25519.PublicKey, 1000, 2000),
            (p, w) => p.SignedBy(w.CaEd25519) && p.Serial is >= 1000 and <= 2000),

        ["every other serial up to 40001 spans several bitmaps"] = new(
            (b, w) => b.RevokeSerials(w.CaEd25519.PublicKey, Odd(1, 40001)),
            (p, w) => p.SignedBy(w.CaEd25519) && p.Serial % 2 == 1 && p.Serial <= 40001),

        ["a dense run with scattered serials around it"] = new(
            (b, w) => b.RevokeSerialRange(w.CaEd25519.PublicKey, 16380, 32770).RevokeSerials(w.CaEd25519.PublicKey, [1, 3, 5, ulong.MaxValue - 2]),
            (p, w) => p.SignedBy(w.CaEd25519) && (p.Serial is >= 16380 and <= 32770 or 1 or 3 or 5 or ulong.MaxValue - 2)),

        ["a range up to the largest serial"] = new(
            (b, w) => b.RevokeSerialRange(w.CaEcdsa.PublicKey, 1UL << 63, ulong.MaxValue),
            (p, w) => p.SignedBy(w.CaEcdsa) && p.Serial >= 1UL << 63),

        ["serials of one CA leave other CAs' certificates alone"] = new(
            (b, w) => b.RevokeSerialRange(w.CaEd25519.PublicKey, 1, 5)
                .RevokeSerialRange(w.CaRsa.PublicKey, 1000, 1001)
                .RevokeSerial(w.CaEcdsa.PublicKey, 40002),
            (p, w) => (p.SignedBy(w.CaEd25519) && p.Serial is >= 1 and <= 5)
                || (p.SignedBy(w.CaRsa) && p.Serial is 1000 or 1001)
                || (p.SignedBy(w.CaEcdsa) && p.Serial == 40002)),

        ["key IDs for one CA"] = new(
            (b, w) => b.RevokeKeyId(w.CaEcdsa.PublicKey, "alice").RevokeKeyId(w.CaEcdsa.PublicKey, "bob"),
            (p, w) => p.SignedBy(w.CaEcdsa) && p.KeyId is "alice" or "bob"),

        ["key IDs and serials for any CA"] = new(
            (b, _) => b.RevokeKeyId(null, "carol").RevokeSerial(null, 2).RevokeSerial(null, 16384),
            (p, _) => p.IsCertificate && (p.KeyId == "carol" || p.Serial is 2 or 16384)),

        ["serial 0 is never revoked by serial"] = new(
            (b, w) => b.RevokeSerialRange(w.CaEd25519.PublicKey, 1, ulong.MaxValue),
            (p, w) => p.SignedBy(w.CaEd25519) && p.Serial != 0),

        ["an explicit key revokes the key and every certificate for it"] = new(
            (b, w) => b.RevokeKey(w.Subjects[0]),
            (p, w) => p.SubjectKey.Equals(w.Subjects[0])),

        ["a SHA256 hash revokes the key and every certificate for it"] = new(
            (b, w) => b.RevokeKeyBySha256(w.Subjects[1]),
            (p, w) => p.SubjectKey.Equals(w.Subjects[1])),

        ["a SHA1 hash revokes the key and every certificate for it"] = new(
            (b, w) => b.RevokeKeyBySha1(w.Subjects[2]),
            (p, w) => p.SubjectKey.Equals(w.Subjects[2])),

        ["a revoked CA key revokes every certificate it signed"] = new(
            (b, w) => b.RevokeKey(w.CaRsa.PublicKey),
            (p, w) => p.SignedBy(w.CaRsa) || p.SubjectKey.Equals(w.CaRsa.PublicKey)),

        ["a certificate is revoked by serial, or by key ID when its serial is 0"] = new(
            (b, w) => b.RevokeCertificate(w.Probe("ecdsa-s1001").Certificate!).RevokeCertificate(w.Probe("rsa-s0-bob").Certificate!),
            (p, w) => (p.SignedBy(w.CaEcdsa) && p.Serial == 1001) || (p.SignedBy(w.CaRsa) && p.KeyId == "bob")),

        ["everything at once across CAs"] = new(
            (b, w) => b.RevokeSerials(w.CaEd25519.PublicKey, Odd(1, 40001))
                .RevokeKeyId(w.CaEcdsa.PublicKey, "alice")
                .RevokeKeyId(null, "dave")
                .RevokeSerialRange(w.CaRsa.PublicKey, 32768, ulong.MaxValue)
                .RevokeKey(w.Subjects[3])
                .RevokeKeyBySha256(w.Subjects[1]),
            (p, w) => (p.SignedBy(w.CaEd25519) && p.Serial % 2 == 1 && p.Serial <= 40001)
                || (p.SignedBy(w.CaEcdsa) && p.KeyId == "alice")
                || p.KeyId == "dave"
                || (p.SignedBy(w.CaRsa) && p.Serial >= 32768)
                || p.SubjectKey.Equals(w.Subjects[3])
                || p.SubjectKey.Equals(w.Subjects[1])),
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys)
        {
            data.Add(name);
        }
        return data;
    }

    /// <summary>Builds the scenario's KRL with a fixed header.</summary>
    public static KrlBuilder Build(string description, KrlWorld world)
    {
        var builder = new KrlBuilder { Version = 42, GeneratedDate = 1_700_000_000, Comment = "beacon test: " + description };
        All[description].Revoke(builder, world);
        return builder;
    }

    private static IEnumerable<ulong> Odd(ulong first, ulong last)
    {
        for (var serial = first; serial <= last; serial += 2)
        {
            yield return serial;
        }
    }
}
