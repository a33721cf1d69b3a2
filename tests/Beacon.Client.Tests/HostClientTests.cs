using Beacon.Client;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.SshSig;
using Beacon.Testing;

namespace Beacon.Client.Tests;

/// <summary>The real server with a Hosts rule (group prod: *.prod.example.com), shared by the class.</summary>
public sealed class HostServerProcessFixture : IDisposable
{
    public ServerProcess Process { get; } = ServerProcess.Start(new Dictionary<string, string?>
    {
        ["Beacon__Policy__Hosts__0__Group"] = "prod",
        ["Beacon__Policy__Hosts__0__Names__0"] = "*.prod.example.com",
        ["Beacon__Policy__Hosts__0__MaxTtl"] = "48h",
    });

    public void Dispose() => Process.Dispose();
}

/// <summary>
/// The host methods of the typed client against the real server over pinned TLS: enrollment with a token
/// minted by `beacon-server host-token create`, the renewal challenge and the renewal, and their refusals.
/// </summary>
public sealed class HostClientTests(HostServerProcessFixture fixture) : IClassFixture<HostServerProcessFixture>
{
    private readonly ServerProcess _server = fixture.Process;

    private BeaconClient Client() => new(new Uri(_server.Url), _server.Fingerprint);

    private string HostToken(string groups = "prod")
    {
        var result = _server.Command("host-token", "create", "--data-dir", _server.DataDir, "--groups", groups, "--ttl", "10m");
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Trim();
    }

    [RequiresOpenSshFact]
    public async Task AHostEnrollsThenRenewsWithASignedChallenge()
    {
        using var client = Client();
        using var ed25519 = Ed25519PrivateKey.Generate();
        using var ecdsa = EcdsaPrivateKey.Generate(EcdsaCurve.P256);
        var token = HostToken();
        Assert.StartsWith("beacon-host-", token, StringComparison.Ordinal);

        var enrolled = await client.EnrollHostAsync(token, ["web1.prod.example.com"], [ed25519.PublicKey, ecdsa.PublicKey]);
        Assert.Equal(["prod"], enrolled.Groups);
        Assert.Equal(2, enrolled.Certificates.Count);
        Assert.Equal(ecdsa.PublicKey, enrolled.Certificates[1].Certificate.PublicKey);
        var current = enrolled.Certificates[0];
        Assert.Equal(SshCertificateType.Host, current.Certificate.Type);
        Assert.Equal(["web1.prod.example.com"], current.Certificate.Principals);
        Assert.Equal(await client.GetHostCaAsync(), current.Certificate.SignatureKey);
        Assert.Equal(TimeSpan.FromHours(48) + TimeSpan.FromMinutes(1), current.ValidBefore - current.ValidAfter);

        var challenge = await client.GetHostRenewalChallengeAsync(current.Certificate);
        Assert.Equal(32, challenge.Challenge.Length);
        Assert.True(challenge.ExpiresAt > DateTimeOffset.UtcNow);
        var signature = SshSigSigner.Sign(ed25519, challenge.Challenge, BeaconClient.HostRenewSignatureNamespace).ToArmored();
        var renewed = await client.RenewHostAsync(current.Certificate, challenge, signature);
        Assert.Equal(enrolled.HostId, renewed.HostId);
        var fresh = Assert.Single(renewed.Certificates);
        Assert.Equal(ed25519.PublicKey, fresh.Certificate.PublicKey);
        Assert.NotEqual(current.Certificate.Serial, fresh.Certificate.Serial);

        // The host list shows it.
        var list = _server.Command("host", "list", "--data-dir", _server.DataDir);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(enrolled.HostId, list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("web1.prod.example.com", list.StandardOutput, StringComparison.Ordinal);

        // A replay of the same signed challenge is refused with the server's reason.
        var replay = await Assert.ThrowsAsync<BeaconApiException>(() => client.RenewHostAsync(current.Certificate, challenge, signature));
        Assert.Equal(403, replay.Status);
        Assert.Contains("already used", replay.Detail, StringComparison.Ordinal);
    }

    [RequiresOpenSshFact]
    public async Task EnrollmentRefusalsCarryTheServersReason()
    {
        using var client = Client();
        var token = HostToken();
        var refused = await Assert.ThrowsAsync<BeaconApiException>(() =>
            client.EnrollHostAsync(token, ["web1.staging.example.com"], [Ed25519PrivateKey.Generate().PublicKey]));
        Assert.Equal(403, refused.Status);
        Assert.Contains("host name \"web1.staging.example.com\" is not allowed", refused.Detail, StringComparison.Ordinal);

        var used = await Assert.ThrowsAsync<BeaconApiException>(() =>
            client.EnrollHostAsync(token, ["web1.prod.example.com"], [Ed25519PrivateKey.Generate().PublicKey]));
        Assert.Equal(401, used.Status);
        Assert.Contains("already used", used.Detail, StringComparison.Ordinal);
    }

    [RequiresOpenSshFact]
    public async Task ARenewalSignedByAnotherKeyIsRefused()
    {
        using var client = Client();
        using var key = Ed25519PrivateKey.Generate();
        using var thief = Ed25519PrivateKey.Generate();
        var current = (await client.EnrollHostAsync(HostToken(), ["db1.prod.example.com"], [key.PublicKey])).Certificates[0].Certificate;
        var challenge = await client.GetHostRenewalChallengeAsync(current);
        var e = await Assert.ThrowsAsync<BeaconApiException>(() => client.RenewHostAsync(current, challenge,
            SshSigSigner.Sign(thief, challenge.Challenge, BeaconClient.HostRenewSignatureNamespace).ToArmored()));
        Assert.Equal(403, e.Status);
        Assert.Contains("does not verify", e.Detail, StringComparison.Ordinal);
    }

    [RequiresOpenSshFact]
    public void HostTokenCreateRefusesAGroupWithoutAHostsRule()
    {
        var result = _server.Command("host-token", "create", "--data-dir", _server.DataDir, "--groups", "staging");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no Hosts rule of the policy names group \"staging\"", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }
}
