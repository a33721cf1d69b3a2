using Beacon.Ssh.Agent;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Agent;

/// <summary>Our agent client against a real ssh-agent, with ssh-add and a real sshd as witnesses.</summary>
public sealed class SshAgentClientTests
{
    public static TheoryData<string, Func<SshPrivateKey>> Keys() => new()
    {
        { "ed25519", () => Ed25519PrivateKey.Generate() },
        { "ecdsa-p256", () => EcdsaPrivateKey.Generate(EcdsaCurve.P256) },
        { "ecdsa-p384", () => EcdsaPrivateKey.Generate(EcdsaCurve.P384) },
        { "ecdsa-p521", () => EcdsaPrivateKey.Generate(EcdsaCurve.P521) },
        { "rsa-2048", () => RsaPrivateKey.Generate(2048) },
    };

    private static SshCertificate CertificateFor(SshPrivateKey key, SshPrivateKey ca, TimeSpan life) => new SshCertificateBuilder
    {
        PublicKey = key.PublicKey,
        Type = SshCertificateType.User,
        KeyId = "agent-test",
        Principals = ["root"],
        ValidAfter = (ulong)DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(),
        ValidBefore = (ulong)DateTimeOffset.UtcNow.Add(life).ToUnixTimeSeconds(),
    }.Sign(ca);

    [RequiresOpenSshTheory]
    [MemberData(nameof(Keys))]
    public async Task AddedKeysAreListedBySshAddAndByUs(string name, Func<SshPrivateKey> make)
    {
        using var agent = SshAgentProcess.Start();
        using var key = make();
        await using var client = await SshAgentClient.ConnectAsync(agent.SocketPath);
        await client.AddAsync(key, $"{name}@test");
        var listed = agent.SshAdd("-l");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains(key.PublicKey.Fingerprint, listed.StandardOutput, StringComparison.Ordinal);
        var ours = Assert.Single(await client.ListAsync());
        Assert.Equal(key.PublicKey, ours.Key);
        Assert.Equal($"{name}@test", ours.Comment);
    }

    [RequiresOpenSshTheory]
    [MemberData(nameof(Keys))]
    public async Task AgentSignaturesVerifyWithThePublicKey(string name, Func<SshPrivateKey> make)
    {
        using var agent = SshAgentProcess.Start();
        using var key = make();
        await using var client = await SshAgentClient.ConnectAsync(agent.SocketPath);
        await client.AddAsync(key, name);
        var data = "beacon"u8.ToArray();
        var flags = key is RsaPrivateKey ? AgentProtocol.RsaSha2_512 : 0;
        var signature = await client.SignAsync(key.PublicKey.Blob.ToArray(), data, flags);
        Assert.True(key.PublicKey.Verify(data, signature), name);
        if (key is RsaPrivateKey)
        {
            Assert.Equal(SshKeyTypes.RsaSha512, signature.Algorithm);
            var sha256 = await client.SignAsync(key.PublicKey.Blob.ToArray(), data, AgentProtocol.RsaSha2_256);
            Assert.Equal(SshKeyTypes.RsaSha256, sha256.Algorithm);
            Assert.True(key.PublicKey.Verify(data, sha256));
        }
    }

    [RequiresOpenSshTheory]
    [MemberData(nameof(Keys))]
    public async Task KeyWithCertificateIsListedAsACertificate(string name, Func<SshPrivateKey> make)
    {
        using var agent = SshAgentProcess.Start();
        using var key = make();
        using var ca = Ed25519PrivateKey.Generate();
        var certificate = CertificateFor(key, ca, TimeSpan.FromMinutes(5));
        await using var client = await SshAgentClient.ConnectAsync(agent.SocketPath);
        await client.AddCertificateAsync(key, certificate, $"{name}-cert", TimeSpan.FromMinutes(5));
        var listed = agent.SshAdd("-l");
        Assert.Contains("-CERT)", listed.StandardOutput, StringComparison.Ordinal);
        var ours = Assert.Single(await client.ListAsync());
        Assert.Equal(certificate, ours.Certificate);
    }

    [RequiresOpenSshFact]
    public async Task CertificateAddedWithALifetimeWorksForSshAndIsGoneAfterIt()
    {
        using var agent = SshAgentProcess.Start();
        using var key = Ed25519PrivateKey.Generate();
        using var ca = Ed25519PrivateKey.Generate();
        var certificate = CertificateFor(key, ca, TimeSpan.FromMinutes(5));
        // sshd first: on a loaded machine its start alone can outlast a short lifetime.
        using var sshd = SshdServer.Start(new SshdOptions { TrustedUserCaKeys = [ca.PublicKey], Principals = SshdPrincipals.File });
        sshd.SetPrincipals("root", "root");
        await using var client = await SshAgentClient.ConnectAsync(agent.SocketPath);
        await client.AddCertificateAsync(key, certificate, "short-lived", TimeSpan.FromSeconds(8));

        var connected = SshLogin.WithAgent(sshd, "root", agent.SocketPath, "echo via-agent");
        Assert.True(connected.ExitCode == 0, $"{connected}\n{sshd.Log}");
        Assert.Contains("via-agent", connected.StandardOutput, StringComparison.Ordinal);

        // The agent drops the key when its lifetime ends; wait for that rather than guess how long it takes.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await client.ListAsync()).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }
        Assert.Empty(await client.ListAsync());
        Assert.Contains("no identities", agent.SshAdd("-l").StandardOutput, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(0, SshLogin.WithAgent(sshd, "root", agent.SocketPath).ExitCode);
    }

    [RequiresOpenSshFact]
    public async Task RemoveOneAndRemoveAll()
    {
        using var agent = SshAgentProcess.Start();
        using var first = Ed25519PrivateKey.Generate();
        using var second = EcdsaPrivateKey.Generate(EcdsaCurve.P256);
        using var third = Ed25519PrivateKey.Generate();
        await using var client = await SshAgentClient.ConnectAsync(agent.SocketPath);
        await client.AddAsync(first, "first");
        await client.AddAsync(second, "second");
        await client.AddAsync(third, "third");
        await client.RemoveAsync(second.PublicKey.Blob.ToArray());
        var left = await client.ListAsync();
        Assert.Equal(2, left.Count);
        Assert.DoesNotContain(left, i => second.PublicKey.Equals(i.Key));
        await client.RemoveAllAsync();
        Assert.Empty(await client.ListAsync());
        // Removing what is not there is the agent's failure, reported as such.
        await Assert.ThrowsAsync<SshAgentException>(() => client.RemoveAsync(first.PublicKey.Blob.ToArray()));
    }

    [Fact]
    public async Task NoSocketIsAClearError()
    {
        var e = await Assert.ThrowsAsync<SshAgentException>(() => SshAgentClient.ConnectAsync("/nonexistent/agent.sock"));
        Assert.Contains("cannot reach ssh-agent", e.Message, StringComparison.Ordinal);
    }
}
