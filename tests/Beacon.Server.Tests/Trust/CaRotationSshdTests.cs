using System.Net;
using System.Text.Json;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;
using Beacon.Trust.Bundle;

namespace Beacon.Server.Tests.Trust;

/// <summary>
/// A whole rotation judged by a real sshd whose TrustedUserCAKeys is written from each published bundle's
/// user_ca_keys, as beacon-host writes it: during the overlap certificates from the old and the new CA are
/// both accepted; once the old key is retired and the new bundle installed, the old CA's certificate is refused.
/// </summary>
public sealed class CaRotationSshdTests
{
    [RequiresOpenSshFact]
    public async Task DuringTheOverlapBothCasAreAcceptedAndAfterRetirementOnlyTheNewOne()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = TrustServer.Create(DatabaseTarget.Sqlite, clock);
        using var client = server.CreateClient();
        using var sshd = SshdServer.Start(new SshdOptions { TrustedUserCaKeys = await InstallAsync(client, expectedVersion: 1) });
        using var key = Ed25519PrivateKey.Generate();
        var old = await IssueForRootAsync(server, client, key);

        await (await client.CaStepAsync("user", "rotate")).OkJsonAsync();
        sshd.SetTrustedUserCaKeys([.. await InstallAsync(client, expectedVersion: 2)]);
        AssertLogin(sshd, key, old, accepted: true);

        await (await client.CaStepAsync("user", "activate")).OkJsonAsync();
        var trusted = await InstallAsync(client, expectedVersion: 3);
        sshd.SetTrustedUserCaKeys([.. trusted]);
        var fresh = await IssueForRootAsync(server, client, key);
        Assert.NotEqual(old.SignatureKey, fresh.SignatureKey);
        Assert.Equal(2, trusted.Count);
        AssertLogin(sshd, key, old, accepted: true);
        AssertLogin(sshd, key, fresh, accepted: true);

        // Past the longest certificate lifetime (the policy's 1h) on the server's clock: retirement is allowed.
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        await (await client.CaStepAsync("user", "retire")).OkJsonAsync();
        var after = await InstallAsync(client, expectedVersion: 4);
        Assert.Equal([fresh.SignatureKey], after);
        sshd.SetTrustedUserCaKeys([.. after]);
        AssertLogin(sshd, key, old, accepted: false);
        AssertLogin(sshd, key, fresh, accepted: true);
    }

    /// <summary>Fetches the published bundle and returns its user CA keys, as a host writes them to TrustedUserCAKeys.</summary>
    private static async Task<IReadOnlyList<SshPublicKey>> InstallAsync(HttpClient client, long expectedVersion)
    {
        var bundle = TrustBundleDocument.Parse(await client.GetByteArrayAsync("/v1/trust/bundle"));
        Assert.Equal(expectedVersion, bundle.Version);
        return [.. bundle.UserCaKeys.Select(k => k.Key)];
    }

    private static async Task<SshCertificate> IssueForRootAsync(BeaconServerFactory server, HttpClient client, SshPrivateKey key)
    {
        var token = await server.MintTokenAsync("carol", "root");
        using var response = await client.RequestCertificateAsync(token, new { public_key = key.PublicKey.ToOpenSshString(), principals = new[] { "root" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return SshCertificateParser.ParseLine(json.RootElement.GetProperty("certificate").GetString()!);
    }

    private static void AssertLogin(SshdServer sshd, SshPrivateKey key, SshCertificate certificate, bool accepted)
    {
        var login = SshLogin.WithKey(sshd, "root", key, certificate, "echo in");
        Assert.True(accepted ? login.ExitCode == 0 : login.ExitCode != 0, $"CA {certificate.SignatureKey.Fingerprint} expected {(accepted ? "accepted" : "refused")}\n{login}\n{sshd.Log}");
    }
}
