using Beacon.Host.Tests.Support;
using Beacon.Testing;

namespace Beacon.Host.Tests.EndToEnd;

/// <summary>
/// Offline signing end to end (DESIGN flow 4): the host pins the operator's own gpg key, so a bundle the
/// server signed alone is refused; the operator signs the staged draft with plain `gpg --detach-sign`,
/// the server publishes it, and the host's next sync installs it.
/// </summary>
public sealed class OfflineSignedBundleSyncTests
{
    [RequiresGpgTheory]
    [InlineData("ed25519")]
    [InlineData("rsa3072")]
    public void ABundleSignedWithTheOperatorsGpgKeyIsPublishedAndSyncedAndOnlyThat(string algorithm)
    {
        using var gpg = new GpgHome();
        var operatorKey = gpg.GenerateKey("operator@example.com", algorithm);
        var operatorKeyFile = gpg.WriteFile("operator.asc", gpg.ExportArmored(operatorKey));
        using var server = ServerProcess.Start(new Dictionary<string, string?>(HostServerFixture.Environment)
        {
            ["Beacon__Trust__Signing"] = "offline",
            ["Beacon__Trust__OperatorKeyFile"] = operatorKeyFile,
        });
        using var host = ManagedHost.Start(server.Url, server.Fingerprint, File.ReadAllText(operatorKeyFile), ["prod"]);

        // Whatever the server published with its own key does not verify with the operator's: nothing is installed.
        var refused = host.Root.Run("sync");
        Assert.Equal(1, refused.ExitCode);
        Assert.Empty(host.Root.TrustSnapshot());

        // A change stages a draft; the operator signs exactly its bytes with gpg and the server publishes it.
        var rotate = server.Command("ca", "rotate", "--data-dir", server.DataDir, "--kind", "host");
        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        var draftFile = Path.Combine(gpg.Home, "bundle.json");
        var draft = server.Command("bundle", "draft", "--data-dir", server.DataDir, "--out", draftFile);
        Assert.True(draft.ExitCode == 0, draft.ToString());
        var signature = gpg.WriteFile("bundle.json.asc", gpg.SignDetachedArmored(operatorKey, draftFile));
        var publish = server.Command("bundle", "publish", "--data-dir", server.DataDir, "--signature", signature);
        Assert.True(publish.ExitCode == 0, publish.ToString());

        var sync = host.RunAndAwaitReload("sync");
        Assert.True(sync.ExitCode == 0, $"{sync}\n{server.Output}");
        Assert.Equal("installed", host.Root.State().LastOutcome);
        Assert.NotEmpty(host.Root.TrustSnapshot());
    }
}
