using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Host.Tests.Sshd;

/// <summary>
/// What the real sshd does with AuthorizedPrincipalsFile, which DESIGN flow 5 rests on: beacon-host writes a
/// principals file only for accounts the bundle maps to this host's groups, so every other account must
/// accept no certificate at all, not fall back to matching the account name.
/// </summary>
public sealed class PrincipalsFileBehaviourTests
{
    [RequiresOpenSshFact]
    public void AnAccountWithoutAPrincipalsFileAcceptsNoCertificateNotEvenOneNamingTheAccount()
    {
        using var ca = Ed25519PrivateKey.Generate();
        using var key = Ed25519PrivateKey.Generate();
        using var sshd = SshdServer.Start(new SshdOptions { TrustedUserCaKeys = [ca.PublicKey], Principals = SshdPrincipals.File });
        sshd.RemovePrincipals("root");
        var refused = SshLogin.WithKey(sshd, "root", key, Certificate(ca, key, "root"));
        Assert.NotEqual(0, refused.ExitCode);

        // The same certificate with a file that lists the account: accepted, so the refusal above is the missing file.
        sshd.SetPrincipals("root", "root");
        Assert.Equal(0, SshLogin.WithKey(sshd, "root", key, Certificate(ca, key, "root")).ExitCode);
    }

    [RequiresOpenSshFact]
    public void WithAPrincipalsFileTheAccountNameItselfIsNotEnough()
    {
        using var ca = Ed25519PrivateKey.Generate();
        using var key = Ed25519PrivateKey.Generate();
        using var sshd = SshdServer.Start(new SshdOptions { TrustedUserCaKeys = [ca.PublicKey], Principals = SshdPrincipals.File });
        sshd.SetPrincipals("root", "root@prod");
        Assert.NotEqual(0, SshLogin.WithKey(sshd, "root", key, Certificate(ca, key, "root")).ExitCode);
        Assert.NotEqual(0, SshLogin.WithKey(sshd, "root", key, Certificate(ca, key, "root@runners")).ExitCode);
        Assert.Equal(0, SshLogin.WithKey(sshd, "root", key, Certificate(ca, key, "root@prod")).ExitCode);
    }

    private static SshCertificate Certificate(SshPrivateKey ca, SshPrivateKey key, string principal)
    {
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new SshCertificateBuilder
        {
            PublicKey = key.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "principals-test",
            Principals = [principal],
            ValidAfter = now - 60,
            ValidBefore = now + 600,
        }.Sign(ca);
    }
}
