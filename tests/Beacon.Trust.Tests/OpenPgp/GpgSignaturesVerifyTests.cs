using System.Text;
using Beacon.Testing;
using Beacon.Trust.OpenPgp;

namespace Beacon.Trust.Tests.OpenPgp;

/// <summary>Keys and signatures made by the real gpg, checked by <see cref="OpenPgpPublicKey.VerifyDetached(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.</summary>
public sealed class GpgSignaturesVerifyTests(GpgKeysFixture keys) : IClassFixture<GpgKeysFixture>
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("{\n  \"format\": \"beacon-trust-bundle/1\",\n  \"version\": 7\n}\n");

    public static TheoryData<string> KeyKinds => ["ed25519", "rsa3072", "subkey", "default"];

    private string PrimaryOf(string kind) => kind switch
    {
        "ed25519" => keys.Ed25519,
        "rsa3072" => keys.Rsa3072,
        "subkey" => keys.WithSubkey,
        "default" => keys.Default,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // The "!" makes gpg sign with exactly the signing subkey rather than choose.
    private string SignerOf(string kind) => kind == "subkey" ? keys.SigningSubkey + "!" : PrimaryOf(kind);

    private byte[] SignWithGpg(string signer, byte[] document, string? digest = null)
    {
        var file = keys.Gpg.WriteFile("bundle.json", document);
        return Encoding.UTF8.GetBytes(keys.Gpg.SignDetachedArmored(signer, file, digest));
    }

    private OpenPgpPublicKey Pinned(string fingerprint) => OpenPgpPublicKey.Parse(Encoding.UTF8.GetBytes(keys.Gpg.ExportArmored(fingerprint)));

    [RequiresGpgTheory]
    [MemberData(nameof(KeyKinds))]
    public void GpgSignatureVerifies(string kind)
    {
        var key = Pinned(PrimaryOf(kind));
        var signature = SignWithGpg(SignerOf(kind), Document);

        var result = key.VerifyDetached(Document, signature);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(PrimaryOf(kind), key.Fingerprint);
        Assert.Equal(PrimaryOf(kind), result.IssuerFingerprint);
        Assert.NotNull(result.SignedAt);
        if (kind == "subkey")
        {
            Assert.Contains(keys.SigningSubkey, result.Reason);
        }
    }

    [RequiresGpgTheory]
    [MemberData(nameof(KeyKinds))]
    public void DocumentChangedByOneByteIsRefused(string kind)
    {
        var key = Pinned(PrimaryOf(kind));
        var signature = SignWithGpg(SignerOf(kind), Document);
        var changed = (byte[])Document.Clone();
        changed[^3] ^= 0x01;

        var result = key.VerifyDetached(changed, signature);

        Assert.False(result.IsValid);
        Assert.Contains("the document does not match the signature", result.Reason);
    }

    [RequiresGpgTheory]
    [MemberData(nameof(KeyKinds))]
    public void SignatureByAnotherKeyIsRefusedNamingTheIssuer(string kind)
    {
        var key = Pinned(PrimaryOf(kind));
        var signature = SignWithGpg(keys.Other, Document);

        var result = key.VerifyDetached(Document, signature);

        Assert.False(result.IsValid);
        Assert.Equal($"signed by key 0x{keys.Other} which is not the pinned key 0x{PrimaryOf(kind)}", result.Reason);
        Assert.Equal(keys.Other, result.IssuerFingerprint);
    }

    [RequiresGpgTheory]
    [InlineData("SHA1", "SHA-1")]
    [InlineData("MD5", "MD5")]
    public void WeakDigestIsRefused(string gpgDigest, string name)
    {
        var key = Pinned(keys.Rsa3072);
        byte[] signature;
        try
        {
            signature = SignWithGpg(keys.Rsa3072, Document, gpgDigest);
        }
        catch (InvalidOperationException) when (gpgDigest == "MD5")
        {
            return; // gpg 2.2 itself refuses to sign with MD5.
        }

        var result = key.VerifyDetached(Document, signature);

        Assert.False(result.IsValid);
        Assert.Equal($"hash algorithm {name} is refused (broken); sign with SHA-256 or stronger", result.Reason);
    }

    [RequiresGpgTheory]
    [InlineData("SHA256")]
    [InlineData("SHA384")]
    [InlineData("SHA512")]
    public void Sha2DigestsVerify(string gpgDigest)
    {
        var key = Pinned(keys.Rsa3072);
        var result = key.VerifyDetached(Document, SignWithGpg(keys.Rsa3072, Document, gpgDigest));
        Assert.True(result.IsValid, result.Reason);
    }

    [RequiresGpgFact]
    public void BinaryKeyAndSignatureAreRead()
    {
        var binaryKey = keys.Gpg.Run(["--export", keys.Ed25519]).StandardOutput;
        Assert.NotEmpty(binaryKey);
        var file = keys.Gpg.WriteFile("bundle.json", Document);
        var output = file + ".sig";
        keys.Gpg.Run(["--local-user", keys.Ed25519, "--detach-sign", "--output", output, file]);
        var key = OpenPgpPublicKey.Parse(ExportBinary(keys.Ed25519));

        var result = key.VerifyDetached(Document, File.ReadAllBytes(output));

        Assert.True(result.IsValid, result.Reason);
    }

    [RequiresGpgFact]
    public void TextModeSignatureIsRefusedWithReason()
    {
        var key = Pinned(keys.Ed25519);
        var file = keys.Gpg.WriteFile("bundle.json", Document);
        var output = file + ".asc";
        keys.Gpg.Run(["--local-user", keys.Ed25519, "--textmode", "--armor", "--detach-sign", "--output", output, file]);

        var result = key.VerifyDetached(Document, File.ReadAllBytes(output));

        Assert.False(result.IsValid);
        Assert.Contains("text-mode signature (type 0x01) is refused", result.Reason);
    }

    [RequiresGpgFact]
    public void SignatureByTheEncryptionOnlySubkeyIsNotFound()
    {
        // The default key's cv25519 subkey cannot sign; the key must still parse with it skipped.
        var key = Pinned(keys.Default);
        Assert.Contains("Default Operator <default@example.test>", key.UserIds);
    }

    [RequiresGpgFact]
    public void SignatureWithExpiryInThePastIsRefused()
    {
        var key = Pinned(keys.Ed25519);
        var file = keys.Gpg.WriteFile("bundle.json", Document);
        var output = file + ".asc";
        keys.Gpg.Run(["--local-user", keys.Ed25519, "--default-sig-expire", "1d", "--armor", "--detach-sign", "--output", output, file]);
        var signature = File.ReadAllBytes(output);

        Assert.True(key.VerifyDetached(Document, signature).IsValid);
        var later = key.VerifyDetached(Document, signature, DateTimeOffset.UtcNow.AddDays(2));
        Assert.False(later.IsValid);
        Assert.StartsWith("the signature expired on", later.Reason);
    }

    [RequiresGpgFact]
    public void ExpiredKeyIsRefused()
    {
        using var gpg = new GpgHome();
        gpg.Run(["--quick-gen-key", "Short Lived <short@example.test>", "ed25519", "sign", "2d"]);
        var fingerprint = gpg.FingerprintOf("short@example.test");
        var key = OpenPgpPublicKey.Parse(Encoding.UTF8.GetBytes(gpg.ExportArmored(fingerprint)));
        var signature = Encoding.UTF8.GetBytes(gpg.SignDetachedArmored(fingerprint, gpg.WriteFile("doc", Document)));

        Assert.True(key.VerifyDetached(Document, signature).IsValid);
        var later = key.VerifyDetached(Document, signature, DateTimeOffset.UtcNow.AddDays(3));
        Assert.False(later.IsValid);
        Assert.Contains($"key 0x{fingerprint} expired on", later.Reason);
    }

    [RequiresGpgFact]
    public void RevokedKeyIsRefused()
    {
        using var gpg = new GpgHome();
        var fingerprint = gpg.GenerateKey("Revoked <revoked@example.test>");
        var signature = Encoding.UTF8.GetBytes(gpg.SignDetachedArmored(fingerprint, gpg.WriteFile("doc", Document)));
        var revocation = File.ReadAllText(Path.Combine(gpg.Home, "openpgp-revocs.d", fingerprint + ".rev")).Replace(":-----BEGIN", "-----BEGIN", StringComparison.Ordinal);
        gpg.Import(revocation);
        var key = OpenPgpPublicKey.Parse(Encoding.UTF8.GetBytes(gpg.ExportArmored(fingerprint)));

        var result = key.VerifyDetached(Document, signature);

        Assert.False(result.IsValid);
        Assert.Equal($"key 0x{fingerprint} is revoked", result.Reason);
    }

    [RequiresGpgFact]
    public void RevokedUserIdIsDropped()
    {
        using var gpg = new GpgHome();
        var fingerprint = gpg.GenerateKey("Kept <kept@example.test>");
        gpg.Run(["--quick-add-uid", fingerprint, "Dropped <dropped@example.test>"]);
        gpg.Run(["--quick-revoke-uid", fingerprint, "Dropped <dropped@example.test>"]);

        var key = OpenPgpPublicKey.Parse(Encoding.UTF8.GetBytes(gpg.ExportArmored(fingerprint)));

        Assert.Equal(["Kept <kept@example.test>"], key.UserIds);
        var signature = Encoding.UTF8.GetBytes(gpg.SignDetachedArmored(fingerprint, gpg.WriteFile("doc", Document)));
        Assert.True(key.VerifyDetached(Document, signature).IsValid);
    }

    [RequiresGpgFact]
    public void RevokedSigningSubkeyIsRefused()
    {
        using var gpg = new GpgHome();
        var fingerprint = gpg.GenerateKey("Subkey Revoked <subrev@example.test>");
        var subkey = gpg.AddSigningSubkey(fingerprint);
        var signature = Encoding.UTF8.GetBytes(gpg.SignDetachedArmored(subkey + "!", gpg.WriteFile("doc", Document)));
        Assert.True(OpenPgpPublicKey.Parse(Encoding.UTF8.GetBytes(gpg.ExportArmored(fingerprint))).VerifyDetached(Document, signature).IsValid);
        // gpg has no batch command to revoke a subkey: drive --edit-key with its command-fd.
        gpg.Run(["--command-fd", "0", "--edit-key", fingerprint, "key 1", "revkey", "save"], stdin: "y\n0\n\ny\n", check: false);

        var key = OpenPgpPublicKey.Parse(Encoding.UTF8.GetBytes(gpg.ExportArmored(fingerprint)));
        var result = key.VerifyDetached(Document, signature);

        Assert.False(result.IsValid);
        Assert.Equal($"subkey 0x{subkey} is revoked", result.Reason);
    }

    private byte[] ExportBinary(string fingerprint)
    {
        var path = keys.Gpg.WriteFile("key.gpg", "");
        keys.Gpg.Run(["--yes", "--output", path, "--export", fingerprint]);
        return File.ReadAllBytes(path);
    }
}
