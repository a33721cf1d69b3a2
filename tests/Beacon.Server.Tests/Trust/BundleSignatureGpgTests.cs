using System.Net;
using System.Text;
using Beacon.Server.Storage;
using Beacon.Server.Tests.Fixtures;
using Beacon.Server.Tests.Revocation;
using Beacon.Server.Trust;
using Beacon.Testing;
using Beacon.Trust.Bundle;
using Beacon.Trust.OpenPgp;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Server.Tests.Trust;

/// <summary>
/// Bundle signatures judged by the real gpg: the server-signed bundle verifies with the served key; in
/// offline mode a draft signed with gpg (Ed25519 and RSA operator keys) is published and served, and a
/// signature by another key or over other bytes is refused with 422 and publishes nothing.
/// </summary>
public sealed class BundleSignatureGpgTests
{
    [RequiresGpgFact]
    public async Task GpgAcceptsTheServerSignedBundleWithTheServedBundleKey()
    {
        await using var server = TrustServer.Create(DatabaseTarget.Sqlite, new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var client = server.CreateClient();
        await (await client.CaStepAsync("host", "rotate")).OkJsonAsync();
        var document = await client.GetByteArrayAsync("/v1/trust/bundle");
        var signature = await client.GetStringAsync("/v1/trust/bundle.asc");
        var key = await client.GetStringAsync("/v1/trust/bundle-key.asc");

        using var gpg = new GpgHome();
        var fingerprint = OpenPgpPublicKey.Parse(Encoding.UTF8.GetBytes(key)).Fingerprint;
        Assert.Equal(0, gpg.ImportTrusted(key, fingerprint).ExitCode);
        var verify = gpg.Verify(gpg.WriteFile("bundle.json.asc", signature), gpg.WriteFile("bundle.json", document));
        Assert.True(verify.ExitCode == 0 && verify.Has("GOODSIG"), verify.ToString());
        Assert.Equal(fingerprint, verify.ValidSigPrimaryFingerprint);

        // One changed byte and gpg refuses: the signature covers these exact bytes.
        document[document.Length / 2] ^= 0x01;
        Assert.NotEqual(0, gpg.Verify(gpg.WriteFile("bundle.json.asc", signature), gpg.WriteFile("bundle.json", document)).ExitCode);
    }

    [RequiresGpgTheory]
    [InlineData("ed25519")]
    [InlineData("rsa3072")]
    public async Task AnOfflineDraftSignedWithGpgIsPublishedAndServed(string algorithm)
    {
        using var gpg = new GpgHome();
        var operatorKey = gpg.GenerateKey("operator@example.com", algorithm);
        await using var server = OfflineServer(gpg, operatorKey);
        using var client = server.CreateClient();
        Assert.Contains("no trust bundle is published yet", await (await client.GetAsync("/v1/trust/bundle")).ProblemAsync(404), StringComparison.Ordinal);
        await (await client.GetAsync("/v1/trust/bundle.asc")).ProblemAsync(404);
        await (await client.GetAsync("/v1/trust/bundle-key.asc")).ProblemAsync(404);

        using var draftResponse = await client.GetAsAsync("/v1/admin/trust/bundle/draft", StaffDirectoryDouble.AdminToken);
        Assert.Equal(HttpStatusCode.OK, draftResponse.StatusCode);
        Assert.Equal("1", draftResponse.Headers.GetValues("Beacon-Bundle-Version").Single());
        var draft = await draftResponse.Content.ReadAsByteArrayAsync();
        var signature = gpg.SignDetachedArmored(operatorKey, gpg.WriteFile("bundle.json", draft));

        var published = await (await client.PostSignatureAsync(1, signature)).OkJsonAsync();
        Assert.Equal(1, published.GetProperty("version").GetInt64());
        using var served = await client.GetAsync("/v1/trust/bundle");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(draft, await served.Content.ReadAsByteArrayAsync());
        var servedSignature = await client.GetStringAsync("/v1/trust/bundle.asc");
        var verify = gpg.Verify(gpg.WriteFile("served.json.asc", servedSignature), gpg.WriteFile("served.json", draft));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        await (await client.GetAsAsync("/v1/admin/trust/bundle/draft", StaffDirectoryDouble.AdminToken)).ProblemAsync(404);
        Assert.Contains("published already", await (await client.PostSignatureAsync(1, signature)).ProblemAsync(409), StringComparison.Ordinal);

        // A CA step stages draft 2; the served bundle stays version 1 until the operator signs it.
        await (await client.CaStepAsync("user", "rotate")).OkJsonAsync();
        using var still = await client.GetAsync("/v1/trust/bundle");
        Assert.Equal("1", still.Headers.GetValues("Beacon-Bundle-Version").Single());
        var events = await server.Services.GetRequiredService<IBeaconStore>().ReadAuditAsync().ToListAsync();
        var audit = Assert.Single(events, e => e.Kind == TrustBundlePublisher.PublishKind && e.Outcome == Beacon.Server.Audit.AuditOutcome.Success);
        Assert.Equal("staff:alice-id", audit.Actor);
    }

    [RequiresGpgFact]
    public async Task ASignatureByAnotherKeyOrOverOtherBytesIsRefusedAndNothingIsPublished()
    {
        using var gpg = new GpgHome();
        var operatorKey = gpg.GenerateKey("operator@example.com");
        var stranger = gpg.GenerateKey("stranger@example.com", "rsa3072");
        await using var server = OfflineServer(gpg, operatorKey);
        using var client = server.CreateClient();
        var draft = await (await client.GetAsAsync("/v1/admin/trust/bundle/draft", StaffDirectoryDouble.AdminToken)).Content.ReadAsByteArrayAsync();

        var byStranger = gpg.SignDetachedArmored(stranger, gpg.WriteFile("bundle.json", draft));
        Assert.Contains("does not verify with the operator key", await (await client.PostSignatureAsync(1, byStranger)).ProblemAsync(422), StringComparison.Ordinal);
        var edited = (byte[])draft.Clone();
        edited[edited.Length / 2] ^= 0x01;
        var overOther = gpg.SignDetachedArmored(operatorKey, gpg.WriteFile("edited.json", edited));
        Assert.Contains("does not verify", await (await client.PostSignatureAsync(1, overOther)).ProblemAsync(422), StringComparison.Ordinal);
        await (await client.PostSignatureAsync(1, "not a signature")).ProblemAsync(422);
        Assert.Contains("not an admin", await (await client.PostSignatureAsync(1, gpg.SignDetachedArmored(operatorKey, gpg.WriteFile("b.json", draft)), StaffDirectoryDouble.StaffToken)).ProblemAsync(403), StringComparison.Ordinal);
        Assert.Contains("no bundle version 7", await (await client.PostSignatureAsync(7, byStranger)).ProblemAsync(404), StringComparison.Ordinal);

        await (await client.GetAsync("/v1/trust/bundle")).ProblemAsync(404);
        Assert.Equal(0, await server.Trust().LatestPublishedTrustBundleVersionAsync());
        var events = await server.Services.GetRequiredService<IBeaconStore>().ReadAuditAsync().ToListAsync();
        Assert.True(events.Count(e => e.Kind == TrustBundlePublisher.PublishKind && e.Outcome == Beacon.Server.Audit.AuditOutcome.Refused) >= 4);
    }

    [Theory]
    [InlineData("missing", null)]
    [InlineData("not a key", "hello")]
    public async Task OfflineSigningWithoutAUsableOperatorKeyRefusesToStart(string name, string? content)
    {
        using var directory = new TempDirectory();
        var path = content is null ? directory.File("absent.asc") : directory.Write("operator.asc", content);
        await using var server = TrustServer.Create(DatabaseTarget.Sqlite, new FakeTimeProvider(DateTimeOffset.UtcNow), new Dictionary<string, string?>
        {
            ["Beacon:Trust:Signing"] = "offline",
            ["Beacon:Trust:OperatorKeyFile"] = path,
        });
        var refused = Assert.ThrowsAny<Exception>(() => server.Server);
        Assert.True(refused.ToString().Contains("Beacon:Trust:OperatorKeyFile must be an armored OpenPGP public key", StringComparison.Ordinal), $"{name}: {refused}");
    }

    private static BeaconServerFactory OfflineServer(GpgHome gpg, string operatorKey)
    {
        var keyFile = gpg.WriteFile("operator.asc", gpg.ExportArmored(operatorKey));
        return TrustServer.Create(DatabaseTarget.Sqlite, new FakeTimeProvider(DateTimeOffset.UtcNow), new Dictionary<string, string?>
        {
            ["Beacon:Trust:Signing"] = "offline",
            ["Beacon:Trust:OperatorKeyFile"] = keyFile,
        });
    }
}
