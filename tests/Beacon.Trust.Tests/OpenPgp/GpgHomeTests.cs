using Beacon.Testing;

namespace Beacon.Trust.Tests.OpenPgp;

/// <summary>The harness itself: gpg makes a key, signs, and verifies its own signature.</summary>
public sealed class GpgHomeTests
{
    [RequiresGpgFact]
    public void GpgSignsAndVerifiesItsOwnDetachedSignature()
    {
        using var gpg = new GpgHome();
        var fingerprint = gpg.GenerateKey("Harness <harness@example.test>");
        var data = gpg.WriteFile("doc.json", "{\"version\":1}");
        var signature = gpg.WriteFile("doc.json.asc", gpg.SignDetachedArmored(fingerprint, data));

        var result = gpg.Verify(signature, data);

        Assert.True(result.ExitCode == 0 && result.Has("GOODSIG"), result.ToString());
        Assert.Equal(fingerprint, result.ValidSigFingerprint);
        Assert.StartsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----", gpg.ExportArmored(fingerprint));
    }
}
