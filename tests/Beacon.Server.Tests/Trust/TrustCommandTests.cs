using System.Text.Json.Nodes;
using Beacon.Server.Commands;
using Beacon.Server.Commands.Init;
using Beacon.Server.Hosting;
using Beacon.Server.Storage;
using Beacon.Server.Trust;
using Beacon.Testing;
using Beacon.Trust.Bundle;

namespace Beacon.Server.Tests.Trust;

/// <summary>
/// `beacon-server ca list|rotate|activate|retire` and `bundle status|draft|publish` on an initialised data
/// directory: outputs, one-line refusals with exit 1, bundle versions, and gpg as the judge of signatures.
/// </summary>
public sealed class TrustCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DataDir => _directory.File("data");

    public void Dispose() => _directory.Dispose();

    private async Task InitAsync() => await InitCommand.RunAsync(new DataDirectory(DataDir), null, [], CancellationToken.None);

    private CliResult Run(params string[] args) => ServerCliRun.InProcess([.. args, "--data-dir", DataDir]);

    [Fact]
    public async Task CaStepsOnADataDirectoryRotateActivateAndRetireWithOneLineRefusals()
    {
        await InitAsync();
        var list = Run("ca", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("user  active", list.Out, StringComparison.Ordinal);
        Assert.Contains("host  active", list.Out, StringComparison.Ordinal);

        var rotate = Run("ca", "rotate", "--kind", "user");
        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        Assert.Contains("next key", rotate.Out, StringComparison.Ordinal);
        Assert.Contains("trust bundle version 2 published", rotate.Out, StringComparison.Ordinal);
        var twice = Run("ca", "rotate", "--kind", "user");
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("has a next key already", Assert.Single(twice.ErrorLines), StringComparison.Ordinal);

        var activate = Run("ca", "activate", "--kind", "user");
        Assert.True(activate.ExitCode == 0, activate.ToString());
        Assert.Contains("signs from now on", activate.Out, StringComparison.Ordinal);
        var early = Run("ca", "retire", "--kind", "user");
        Assert.Equal(1, early.ExitCode);
        Assert.Contains("may be retired from", Assert.Single(early.ErrorLines), StringComparison.Ordinal);
        var forced = Run("ca", "retire", "--kind", "user", "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("trust bundle version 4 published", forced.Out, StringComparison.Ordinal);
        Assert.Contains("user  retired", Run("ca", "list", "--kind", "user").Out, StringComparison.Ordinal);

        var status = Run("bundle", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("published: version 4", status.Out, StringComparison.Ordinal);
        Assert.Contains("draft: none", status.Out, StringComparison.Ordinal);
        Assert.Equal(2, Run("ca", "rotate", "--kind", "both").ExitCode);

        using var context = await LocalServerContext.OpenAsync(DataDir, CancellationToken.None);
        var events = await context.Store.ReadAuditAsync().ToListAsync();
        Assert.Contains(events, e => e.Kind == "ca.retire" && e.Actor.StartsWith("local:", StringComparison.Ordinal) && e.Details.Contains("\"forced\":true", StringComparison.Ordinal));
    }

    [Fact]
    public void HelpNamesBothSetsOfCaCommands()
    {
        var help = ServerCliRun.InProcess("ca", "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var name in new[] { "init", "sign", "list", "rotate", "activate", "retire" })
        {
            Assert.Contains(name, help.Out, StringComparison.Ordinal);
        }
        Assert.Contains("--force", ServerCliRun.InProcess("ca", "retire", "--help").Out, StringComparison.Ordinal);
        Assert.Contains("--signature", ServerCliRun.InProcess("bundle", "publish", "--help").Out, StringComparison.Ordinal);
    }

    [RequiresGpgFact]
    public async Task GpgAcceptsTheBundleSignedWithTheDataDirectorysBundleKey()
    {
        await InitAsync();
        Assert.Equal(0, Run("bundle", "status").ExitCode);
        using var context = await LocalServerContext.OpenAsync(DataDir, CancellationToken.None);
        var bundle = (await context.Store.LatestTrustBundleAsync())!;
        Assert.Equal(1, bundle.Version);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(BundleSigningKeyFiles.PublicKeyPath(context.Data)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(BundleSigningKeyFiles.PrivateKeyPath(context.Data)));

        using var gpg = new GpgHome();
        Assert.Equal(0, gpg.Import(File.ReadAllText(BundleSigningKeyFiles.PublicKeyPath(context.Data))).ExitCode);
        var verify = gpg.Verify(gpg.WriteFile("bundle.json.asc", bundle.Signature!), gpg.WriteFile("bundle.json", bundle.Document));
        Assert.True(verify.ExitCode == 0 && verify.Has("GOODSIG"), verify.ToString());
    }

    [RequiresGpgFact]
    public async Task OfflineDraftIsSignedWithGpgAndPublishedByTheCommand()
    {
        await InitAsync();
        using var gpg = new GpgHome();
        var operatorKey = gpg.GenerateKey("operator@example.com", "rsa3072");
        var stranger = gpg.GenerateKey("stranger@example.com");
        var keyFile = gpg.WriteFile("operator.asc", gpg.ExportArmored(operatorKey));
        var config = new DataDirectory(DataDir).ConfigFile;
        var json = JsonNode.Parse(File.ReadAllText(config))!;
        json["Beacon"]!["Trust"] = new JsonObject { ["Signing"] = "offline", ["OperatorKeyFile"] = keyFile };
        File.WriteAllText(config, json.ToJsonString());

        // init published version 1 with the server key; from now on a change waits for the operator.
        Assert.Contains("there is no draft", Run("bundle", "draft").Error, StringComparison.Ordinal);
        var rotate = Run("ca", "rotate", "--kind", "host");
        Assert.Contains("trust bundle version 2 staged as a draft", rotate.Out, StringComparison.Ordinal);
        var draftFile = _directory.File("bundle.json");
        var draft = Run("bundle", "draft", "--out", draftFile);
        Assert.True(draft.ExitCode == 0, draft.ToString());
        Assert.Contains("wrote draft version 2", draft.Out, StringComparison.Ordinal);
        Assert.Equal(2, TrustBundleDocument.Parse(File.ReadAllBytes(draftFile)).Version);

        var wrong = _directory.Write("wrong.asc", gpg.SignDetachedArmored(stranger, draftFile));
        var refused = Run("bundle", "publish", "--signature", wrong);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("does not verify with the operator key", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("published: version 1", Run("bundle", "status").Out, StringComparison.Ordinal);

        var signature = _directory.Write("bundle.json.asc", gpg.SignDetachedArmored(operatorKey, draftFile));
        var published = Run("bundle", "publish", "--signature", signature);
        Assert.True(published.ExitCode == 0, published.ToString());
        Assert.Contains("published bundle version 2", published.Out, StringComparison.Ordinal);
        Assert.Contains("published: version 2", Run("bundle", "status").Out, StringComparison.Ordinal);
    }
}
