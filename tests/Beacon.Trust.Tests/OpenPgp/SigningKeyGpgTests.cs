using System.Text;
using Beacon.Testing;
using Beacon.Trust.OpenPgp;

namespace Beacon.Trust.Tests.OpenPgp;

/// <summary>Our generated key and signatures, judged by the real gpg.</summary>
public sealed class SigningKeyGpgTests
{
    private const string UserId = "BeaconSSH bundle signing <beacon@example.test>";
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("{\"format\":\"beacon-trust-bundle/1\",\"version\":1}\n");

    [RequiresGpgFact]
    public void GpgImportsOurKeyWithOurFingerprint()
    {
        using var key = OpenPgpSigningKey.Generate(UserId, Created);
        using var gpg = new GpgHome();

        var import = gpg.Import(key.ExportPublicArmored());

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal(key.PublicKey.Fingerprint, gpg.FingerprintOf(UserId));
        var listing = gpg.Run(["--with-colons", "--list-keys", key.PublicKey.Fingerprint]).StandardOutput;
        // pub:<validity>:255:22:<keyid>:<created>:... ; key capabilities "scSC".
        var pub = listing.Split('\n').Single(line => line.StartsWith("pub:", StringComparison.Ordinal)).Split(':');
        Assert.Equal("22", pub[3]);
        Assert.Equal(Created.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), pub[5]);
        Assert.Contains("s", pub[11], StringComparison.Ordinal);
        Assert.Contains($"uid:", listing, StringComparison.Ordinal);
    }

    [RequiresGpgFact]
    public void GpgVerifiesOurSignature()
    {
        using var key = OpenPgpSigningKey.Generate(UserId, Created);
        using var gpg = new GpgHome();
        gpg.ImportTrusted(key.ExportPublicArmored(), key.PublicKey.Fingerprint);
        var data = gpg.WriteFile("bundle.json", Document);
        var signedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var signature = gpg.WriteFile("bundle.json.asc", key.SignDetached(Document, signedAt));

        var result = gpg.Verify(signature, data);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Has("GOODSIG"), result.ToString());
        Assert.Equal(key.PublicKey.Fingerprint, result.ValidSigFingerprint);
        Assert.Equal(key.PublicKey.Fingerprint, result.ValidSigPrimaryFingerprint);
        // VALIDSIG fpr date timestamp expire version reserved pubkey-algo hash-algo class primary-fpr.
        var validSig = result.Status.Single(line => line.StartsWith("VALIDSIG ", StringComparison.Ordinal)).Split(' ');
        Assert.Equal(signedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), validSig[3]);
        Assert.Equal(["22", "10", "00"], validSig[7..10]);
    }

    [RequiresGpgFact]
    public void GpgRefusesOurSignatureOverAChangedDocument()
    {
        using var key = OpenPgpSigningKey.Generate(UserId, Created);
        using var gpg = new GpgHome();
        gpg.ImportTrusted(key.ExportPublicArmored(), key.PublicKey.Fingerprint);
        var changed = (byte[])Document.Clone();
        changed[5] ^= 0x20;
        var data = gpg.WriteFile("bundle.json", changed);
        var signature = gpg.WriteFile("bundle.json.asc", key.SignDetached(Document, Created.AddDays(1)));

        var result = gpg.Verify(signature, data);

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.Has("BADSIG"), result.ToString());
        Assert.False(result.Has("GOODSIG"));
    }

    [Fact]
    public void OurVerifierAcceptsOurSignatureAndReportsItsTime()
    {
        using var key = OpenPgpSigningKey.Generate(UserId, Created);
        var signedAt = Created.AddHours(1);
        var signature = Encoding.UTF8.GetBytes(key.SignDetached(Document, signedAt));

        var result = key.PublicKey.VerifyDetached(Document, signature);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(key.PublicKey.Fingerprint, result.IssuerFingerprint);
        Assert.Equal(signedAt, result.SignedAt);
    }
}
