using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;
using Beacon.Testing;

namespace Beacon.Server.Tests.Hosts;

/// <summary>
/// OpenSSH judges the host certificates: a real sshd presents the enrolled (then the renewed) certificate
/// and a real ssh, trusting nothing but the host CA's @cert-authority line, connects with
/// StrictHostKeyChecking=yes and BatchMode, so any prompt would be a failure.
/// </summary>
public sealed class HostCertificateSshTests
{
    private const string HostName = "web1.prod.example.com";

    private static SshCertificate UserCertificate(BeaconServerFactory server, SshPrivateKey user) => new SshCertificateBuilder
    {
        PublicKey = user.PublicKey,
        Type = SshCertificateType.User,
        KeyId = "host-test-user",
        Principals = ["root"],
        ValidAfter = (ulong)DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(),
        ValidBefore = (ulong)DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
    }.Sign(server.Cas.UserCa);

    /// <summary>ssh as root to the sshd, checking its host certificate under the name <paramref name="alias"/>.</summary>
    private static ProcessResult Connect(BeaconServerFactory server, SshdServer sshd, string alias, SshPrivateKey user)
    {
        using var temp = new TempDirectory("beacon-host-ssh-");
        var knownHosts = temp.Write("known_hosts",
            $"@cert-authority {alias},[{alias}]:{sshd.Port} {server.Cas.HostCa.PublicKey.ToOpenSshString()}\n");
        var keyFile = temp.WritePrivate("id", OpenSshPrivateKeyFile.Write(user));
        var certificateFile = temp.Write("id-cert.pub", UserCertificate(server, user).ToOpenSshString() + "\n");
        // HostKeyAlias: ssh checks the certificate's principals against this name instead of 127.0.0.1.
        return new SshClient(sshd.Port, knownHosts) { Options = [$"HostKeyAlias={alias}"] }
            .RunWithKey("root", keyFile, certificateFile, "echo connected");
    }

    [RequiresOpenSshFact]
    public async Task SshTrustsTheEnrolledAndTheRenewedHostCertificateThroughTheHostCaAlone()
    {
        var clock = new Beacon.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = HostServer.Create(DatabaseTarget.Sqlite, clock);
        using var client = server.CreateClient();
        using var hostKey = Ed25519PrivateKey.Generate();
        using var user = Ed25519PrivateKey.Generate();
        var enrolled = await client.EnrollAsync(await server.MintHostTokenAsync(null, "prod"), [HostName], hostKey.PublicKey);
        var certificate = enrolled.Certificates[0];

        using (var sshd = SshdServer.Start(new SshdOptions
        {
            HostKey = hostKey,
            HostCertificate = certificate,
            TrustedUserCaKeys = [server.Cas.UserCa.PublicKey],
        }))
        {
            var login = Connect(server, sshd, HostName, user);
            Assert.True(login.ExitCode == 0, $"{login}\n{sshd.Log}");
            Assert.Equal("connected", login.StandardOutput.Trim());

            // The same certificate under a name it does not carry: ssh refuses, so the check above was real.
            var wrongName = Connect(server, sshd, "db1.prod.example.com", user);
            Assert.Equal(255, wrongName.ExitCode);
            Assert.Contains("not a listed principal", wrongName.StandardError, StringComparison.Ordinal);
        }

        // The host proves possession as a shell script would: ssh-keygen -Y sign over the challenge's bytes.
        var (_, challengeBody, challenge) = await client.ChallengeAsync(certificate);
        Assert.NotNull(challenge);
        using var signing = new TempDirectory("beacon-host-renew-");
        File.WriteAllBytes(signing.File("challenge"), challenge!);
        var signature = SshKeygenSig.Sign(signing, hostKey, signing.File("challenge"), Beacon.Server.Hosts.HostCertificateIssuer.RenewSignatureNamespace);
        var (status, body) = await client.RenewRawAsync(certificate, challenge!, signature);
        Assert.True(status == System.Net.HttpStatusCode.OK, $"{(int)status} {body} {challengeBody}");
        var renewed = HostApi.Parse(body).Certificates[0];
        Assert.NotEqual(certificate.Serial, renewed.Serial);
        using var renewedSshd = SshdServer.Start(new SshdOptions
        {
            HostKey = hostKey,
            HostCertificate = renewed,
            TrustedUserCaKeys = [server.Cas.UserCa.PublicKey],
        });
        var afterRenewal = Connect(server, renewedSshd, HostName, user);
        Assert.True(afterRenewal.ExitCode == 0, $"{afterRenewal}\n{renewedSshd.Log}");
    }
}
