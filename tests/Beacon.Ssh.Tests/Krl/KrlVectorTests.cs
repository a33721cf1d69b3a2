using Beacon.Ssh.Krl;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>KRLs made by ssh-keygen -k: we read them as ssh-keygen -Q does, and re-encode them so it still agrees.</summary>
public sealed class KrlVectorTests
{
    [Theory]
    [MemberData(nameof(KrlVectors.KrlNamesData), MemberType = typeof(KrlVectors))]
    public void SshKeygenKrlRevokesExactlyWhatSshKeygenSaid(string krlName)
    {
        var krl = KrlParser.Parse(KrlVectors.Read(krlName));
        var rows = KrlVectors.Expected.Where(e => e.Krl == krlName).ToList();
        Assert.NotEmpty(rows);
        foreach (var (_, file, revoked) in rows)
        {
            var (certificate, key) = KrlVectors.Load(file);
            var ours = certificate is not null ? krl.IsRevoked(certificate) : krl.IsRevoked(key!);
            Assert.True(revoked == ours, $"{krlName} {file}: ssh-keygen said {(revoked ? "REVOKED" : "ok")}, we said {(ours ? "REVOKED" : "ok")}");
        }
    }

    [Theory]
    [MemberData(nameof(KrlVectors.KrlNamesData), MemberType = typeof(KrlVectors))]
    public void SshKeygenKrlReencodesToTheSameList(string krlName)
    {
        var original = KrlVectors.Read(krlName);
        var krl = KrlParser.Parse(original);
        var encoded = krl.Encode();
        Assert.Equal(krl, KrlParser.Parse(encoded));
        // Our choice of list, range and bitmap sections is never larger than ssh-keygen's.
        Assert.True(encoded.Length <= original.Length, $"{krlName}: ours {encoded.Length} bytes, ssh-keygen's {original.Length}");
    }

    [Fact]
    public void SshKeygenSerialVectorParsesToItsSpec()
    {
        var krl = KrlParser.Parse(KrlVectors.Read("serials.krl"));
        Assert.Equal(3UL, krl.Version);
        var section = Assert.Single(krl.CertificateSections);
        Assert.Equal(KrlVectors.Load("ca-ed25519.pub").Key, section.CaKey);
        Assert.Empty(section.KeyIds);
        var serials = section.Serials;
        Assert.Contains(new KrlSerialRange(1000, 2000), serials);
        Assert.Contains(new KrlSerialRange(ulong.MaxValue, ulong.MaxValue), serials);
        // 3, 5, 12, 1000-2000, every third from 3002 to 15998, and 2^64-1.
        Assert.Equal(3UL + 1001 + ((15998 - 3002) / 3 + 1) + 1, serials.SerialCount);
        Assert.True(serials.Contains(15998));
        Assert.False(serials.Contains(15997));
    }

    [Fact]
    public void SshKeygenKeyVectorHoldsEachKindOfKeyRevocation()
    {
        var krl = KrlParser.Parse(KrlVectors.Read("keys.krl"));
        Assert.Empty(krl.CertificateSections);
        Assert.Equal(KrlVectors.Load("user-rsa.pub").Key!.Blob.ToArray(), Assert.Single(krl.RevokedKeys).ToArray());
        Assert.Single(krl.RevokedSha1Hashes);
        Assert.Equal(2, krl.RevokedSha256Hashes.Count);
        Assert.Equal(KrlRevocation.ExplicitKey, krl.Check(KrlVectors.Load("user-rsa.pub").Key!));
        Assert.Equal(KrlRevocation.Sha1Fingerprint, krl.Check(KrlVectors.Load("user-ecdsa.pub").Key!));
        Assert.Equal(KrlRevocation.Sha256Fingerprint, krl.Check(KrlVectors.Load("other-ed25519.pub").Key!));
        Assert.Equal(KrlRevocation.Sha256Fingerprint, krl.Check(KrlVectors.Load("third-ed25519.pub").Key!));
        Assert.Equal(KrlRevocation.NotRevoked, krl.Check(KrlVectors.Load("user-ed25519.pub").Key!));
    }

    [Fact]
    public void SshKeygenWildcardVectorAppliesToEveryCa()
    {
        var krl = KrlParser.Parse(KrlVectors.Read("wildcard.krl"));
        var section = Assert.Single(krl.CertificateSections);
        Assert.True(section.AppliesToAnyCa);
        Assert.Same(section, krl.AnyCaSection);
        Assert.Equal(["bob"], section.KeyIds);
        Assert.Equal(KrlRevocation.KeyId, krl.Check(KrlVectors.Load("ed-s0-bob-cert.pub").Certificate!));
        Assert.Equal(KrlRevocation.Serial, krl.Check(KrlVectors.Load("rsa-s42-dave-cert.pub").Certificate!));
    }

    [Fact]
    public void SshKeygenMultiCaVectorKeepsOneSectionPerCaInOrder()
    {
        var krl = KrlParser.Parse(KrlVectors.Read("multi.krl"));
        Assert.Equal(7UL, krl.Version);
        Assert.Equal(
            [KrlVectors.Load("ca-ed25519.pub").Key, KrlVectors.Load("ca-rsa.pub").Key, KrlVectors.Load("ca-ecdsa.pub").Key],
            krl.CertificateSections.Select(s => s.CaKey));
    }

    [Fact]
    public void RevokedCaKeyRevokesEveryCertificateItSigned()
    {
        var krl = KrlParser.Parse(KrlVectors.Read("ca-key.krl"));
        Assert.Equal(KrlRevocation.CaKey, krl.Check(KrlVectors.Load("rsa-s42-dave-cert.pub").Certificate!));
        Assert.Equal(KrlRevocation.NotRevoked, krl.Check(KrlVectors.Load("ed-s1-cert.pub").Certificate!));
    }

    [Fact]
    public void EmptyVectorRevokesNothing()
    {
        var krl = KrlParser.Parse(KrlVectors.Read("empty.krl"));
        Assert.Empty(krl.CertificateSections);
        Assert.Empty(krl.RevokedKeys);
        Assert.Equal(KrlVectors.Read("empty.krl").Length, krl.Encode().Length);
    }

    [RequiresOpenSshTheory]
    [MemberData(nameof(KrlVectors.KrlNamesData), MemberType = typeof(KrlVectors))]
    public void SshKeygenStillGivesTheRecordedVerdicts(string krlName)
    {
        var rows = KrlVectors.Expected.Where(e => e.Krl == krlName).ToList();
        var verdicts = SshKeygenKrl.Query(KrlVectors.PathOf(krlName), [.. rows.Select(r => KrlVectors.PathOf(r.File))]);
        foreach (var (_, file, revoked) in rows)
        {
            Assert.True(revoked == verdicts[KrlVectors.PathOf(file)], $"{krlName} {file}: expected.txt is stale");
        }
    }

    [RequiresOpenSshTheory]
    [MemberData(nameof(KrlVectors.KrlNamesData), MemberType = typeof(KrlVectors))]
    public void ReencodedSshKeygenKrlGetsTheSameVerdictsFromSshKeygen(string krlName)
    {
        using var temp = new TempDirectory();
        var path = temp.File("reencoded.krl");
        File.WriteAllBytes(path, KrlParser.Parse(KrlVectors.Read(krlName)).Encode());
        var rows = KrlVectors.Expected.Where(e => e.Krl == krlName).ToList();
        var verdicts = SshKeygenKrl.Query(path, [.. rows.Select(r => KrlVectors.PathOf(r.File))]);
        foreach (var (_, file, revoked) in rows)
        {
            Assert.True(revoked == verdicts[KrlVectors.PathOf(file)], $"{krlName} re-encoded, {file}: ssh-keygen now says {verdicts[KrlVectors.PathOf(file)]}");
        }
    }
}
