using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Tests.Vectors;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Certificates;

/// <summary>
/// Certificates made by ssh-keygen for every key type and CA type: each parses, writes back byte for
/// byte, verifies, and reads the same fields ssh-keygen -L printed when it made them.
/// </summary>
public sealed class CertificateVectorTests
{
    [Fact]
    public void EveryKeyTypeIsCertifiedByEveryCaType()
    {
        foreach (var kind in new[] { "user", "host" })
        {
            foreach (var key in TestVectors.KeyNames)
            {
                foreach (var ca in TestVectors.CaNames)
                {
                    Assert.Contains($"{kind}-{key}-by-{ca}", TestVectors.CertificateNames);
                }
            }
        }
        Assert.Contains("user-ed25519-by-rsa-3072-sha256", TestVectors.CertificateNames);
    }

    [Theory]
    [MemberData(nameof(TestVectors.Certificates), MemberType = typeof(TestVectors))]
    public void CertificateRoundTripsByteForByte(string name)
    {
        var line = TestVectors.FirstLine(TestVectors.CertificatePath(name));
        var blob = Convert.FromBase64String(line.Split(' ')[1]);

        var certificate = SshCertificateParser.ParseLine(line, out var comment);

        Assert.Equal(line, certificate.ToOpenSshString(comment));
        Assert.Equal(blob, certificate.Blob.ToArray());
        Assert.Equal(blob, SshCertificateParser.ParseBlob(blob).Blob.ToArray());
        Assert.Equal(certificate, SshCertificateParser.ParseBlob(blob));
    }

    [Theory]
    [MemberData(nameof(TestVectors.Certificates), MemberType = typeof(TestVectors))]
    public void CaSignatureVerifies(string name)
    {
        var certificate = SshCertificateParser.ParseLine(TestVectors.FirstLine(TestVectors.CertificatePath(name)));

        Assert.True(certificate.VerifySignature());
    }

    [Theory]
    [MemberData(nameof(TestVectors.Certificates), MemberType = typeof(TestVectors))]
    public void TamperedCertificateDoesNotVerify(string name)
    {
        var blob = Convert.FromBase64String(TestVectors.FirstLine(TestVectors.CertificatePath(name)).Split(' ')[1]);
        var certificate = SshCertificateParser.ParseBlob(blob);
        // Flip a bit of the nonce: still well-formed, no longer what the CA signed.
        blob[4 + certificate.CertificateType.Length + 4] ^= 0x01;

        Assert.False(SshCertificateParser.ParseBlob(blob).VerifySignature());
    }

    [Theory]
    [MemberData(nameof(TestVectors.Certificates), MemberType = typeof(TestVectors))]
    public void FieldsEqualWhatSshKeygenPrinted(string name)
    {
        var certificate = SshCertificateParser.ParseLine(TestVectors.FirstLine(TestVectors.CertificatePath(name)));
        var listing = SshKeygenListing.Parse(File.ReadAllText(TestVectors.CertificatePath(name) + ".L.txt"));

        KeygenStyle.AssertListingMatches(listing, certificate);
    }

    [Theory]
    [MemberData(nameof(TestVectors.Certificates), MemberType = typeof(TestVectors))]
    public void CertifiedKeyFingerprintEqualsSshKeygens(string name)
    {
        var certificate = SshCertificateParser.ParseLine(TestVectors.FirstLine(TestVectors.CertificatePath(name)), out var comment);
        var printed = TestVectors.FirstLine(TestVectors.CertificatePath(name) + ".fp");

        // ssh-keygen -l fingerprints a certificate by the key it certifies.
        Assert.Equal($"{certificate.PublicKey.SizeInBits} {certificate.PublicKey.Fingerprint} {comment} ({KeygenStyle.KeyName(certificate.PublicKey)}-CERT)", printed);
    }

    [Theory]
    [MemberData(nameof(TestVectors.Certificates), MemberType = typeof(TestVectors))]
    public void CertifiedKeyAndCaAreTheVectorKeys(string name)
    {
        // NAME is KIND-KEY-by-CA[-variant].
        var certificate = SshCertificateParser.ParseLine(TestVectors.FirstLine(TestVectors.CertificatePath(name)));
        var by = name.IndexOf("-by-", StringComparison.Ordinal);
        var keyName = name[(name.IndexOf('-') + 1)..by];
        var caName = TestVectors.CaNames.First(ca => name[(by + 4)..].StartsWith(ca, StringComparison.Ordinal));

        Assert.Equal(SshPublicKeyParser.ParseLine(TestVectors.FirstLine(TestVectors.KeyPath(keyName) + ".pub")), certificate.PublicKey);
        Assert.Equal(SshPublicKeyParser.ParseLine(TestVectors.FirstLine(TestVectors.CaPath(caName) + ".pub")), certificate.SignatureKey);
    }

    [Fact]
    public void UserCertificateFieldsAreTheOnesTheScriptAskedFor()
    {
        var certificate = SshCertificateParser.ParseLine(TestVectors.FirstLine(TestVectors.CertificatePath("user-ecdsa-384-by-ed25519")));

        Assert.Equal(SshCertificateType.User, certificate.Type);
        Assert.Equal("user ecdsa-384 by ed25519", certificate.KeyId);
        Assert.Equal(["alice", "bob"], certificate.Principals);
        Assert.Equal((ulong)DateTimeOffset.Parse("2025-01-01T00:00:00Z").ToUnixTimeSeconds(), certificate.ValidAfter);
        Assert.Equal((ulong)DateTimeOffset.Parse("2035-01-01T00:00:00Z").ToUnixTimeSeconds(), certificate.ValidBefore);
        Assert.Equal("/usr/bin/true", certificate.FindCriticalOption(SshCertificateOptions.ForceCommand)?.Value);
        Assert.Equal("127.0.0.1/32,::1/128", certificate.FindCriticalOption(SshCertificateOptions.SourceAddress)?.Value);
        Assert.Equal([SshCertificateOptions.PermitAgentForwarding, SshCertificateOptions.PermitPty], certificate.Extensions.Select(e => e.Name));
        Assert.Equal(32, certificate.Nonce.Length);
        Assert.True(certificate.Reserved.IsEmpty);
    }

    [Fact]
    public void HostCertificateIsValidForever()
    {
        var certificate = SshCertificateParser.ParseLine(TestVectors.FirstLine(TestVectors.CertificatePath("host-rsa-2048-by-ecdsa-521")));

        Assert.Equal(SshCertificateType.Host, certificate.Type);
        Assert.Equal(["host.example.com", "127.0.0.1", "localhost"], certificate.Principals);
        Assert.Equal(0UL, certificate.ValidAfter);
        Assert.Equal(SshCertificate.Forever, certificate.ValidBefore);
        Assert.Equal(DateTimeOffset.MaxValue, certificate.ValidBeforeTime);
        Assert.Empty(certificate.CriticalOptions);
        Assert.Empty(certificate.Extensions);
        Assert.Equal(SshKeyTypes.EcdsaP521, certificate.Signature.Algorithm);
    }

    [Theory]
    [InlineData("user-ed25519-by-rsa-3072", SshKeyTypes.RsaSha512)]
    [InlineData("user-ed25519-by-rsa-3072-sha256", SshKeyTypes.RsaSha256)]
    public void RsaCaSignaturesUseSha2(string name, string algorithm)
    {
        var certificate = SshCertificateParser.ParseLine(TestVectors.FirstLine(TestVectors.CertificatePath(name)));

        Assert.Equal(algorithm, certificate.Signature.Algorithm);
        Assert.True(certificate.VerifySignature());
    }

    [Fact]
    public void UnknownOptionsAndValuesRoundTripExactly()
    {
        var certificate = SshCertificateParser.ParseLine(TestVectors.FirstLine(TestVectors.CertificatePath("user-rsa-2048-by-ecdsa-384-custom")));

        Assert.Equal(["beacon@beacon.example", SshCertificateOptions.VerifyRequired], certificate.CriticalOptions.Select(o => o.Name));
        Assert.Equal("data", certificate.CriticalOptions[0].Value);
        Assert.Equal(["aaa@beacon.example", SshCertificateOptions.PermitPortForwarding, "zzz@beacon.example"], certificate.Extensions.Select(o => o.Name));
        Assert.Equal("value", certificate.Extensions[2].Value);
        Assert.Equal(18446744073709551614UL, certificate.Serial);
        Assert.Equal("custom opts – é", certificate.KeyId);
        Assert.Equal(["deploy", "ci runner", "root"], certificate.Principals);
    }
}
