using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Krl;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>A real sshd with our KRL as its RevokedKeys refuses exactly what the KRL revokes.</summary>
public sealed class KrlSshdTests
{
    [RequiresOpenSshFact]
    public void SshdRefusesACertificateOurKrlRevokesAndAcceptsOneItDoesNot()
    {
        using var ca = Ed25519PrivateKey.Generate();
        using var key = Ed25519PrivateKey.Generate();
        SshCertificate Issue(ulong serial) => new SshCertificateBuilder
        {
            PublicKey = key.PublicKey,
            Type = SshCertificateType.User,
            KeyId = $"alice-{serial}",
            Principals = ["root"],
            ValidAfter = (ulong)DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(),
            ValidBefore = (ulong)DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
            Serial = serial,
        }.Sign(ca);
        var revoked = Issue(4242);
        var live = Issue(4243);

        using var sshd = SshdServer.Start(new SshdOptions { TrustedUserCaKeys = [ca.PublicKey], Principals = SshdPrincipals.File });
        sshd.SetPrincipals("root", "root");
        Assert.Equal(0, SshLogin.WithKey(sshd, "root", key, revoked).ExitCode);

        sshd.SetRevokedKeys(new KrlBuilder { Version = 2 }.RevokeSerial(ca.PublicKey, 4242).Build());
        var refused = SshLogin.WithKey(sshd, "root", key, revoked);
        Assert.True(refused.ExitCode != 0, $"sshd accepted a revoked certificate\n{sshd.Log}");
        var accepted = SshLogin.WithKey(sshd, "root", key, live);
        Assert.True(accepted.ExitCode == 0, $"{accepted}\n{sshd.Log}");

        using var temp = new TempDirectory();
        var krlPath = temp.File("revoked.krl");
        File.WriteAllBytes(krlPath, File.ReadAllBytes(sshd.RevokedKeysFile));
        Assert.Equal(1, OpenSsh.Keygen("-Q", "-f", krlPath, temp.Write("r.pub", revoked.ToOpenSshString() + "\n")).ExitCode);
        Assert.Equal(0, OpenSsh.Keygen("-Q", "-f", krlPath, temp.Write("l.pub", live.ToOpenSshString() + "\n")).ExitCode);
    }
}
