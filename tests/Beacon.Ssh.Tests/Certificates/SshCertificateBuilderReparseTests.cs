using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Tests.Certificates;

/// <summary>
/// The builder reuses the subject and CA key instances when it parses its own output back; the result
/// must still equal what an independent parse of the same bytes gives.
/// </summary>
public sealed class SshCertificateBuilderReparseTests
{
    public static TheoryData<SshKeyAlgorithm, int, SshKeyAlgorithm, int> KeyPairs() => new()
    {
        { SshKeyAlgorithm.Ed25519, 0, SshKeyAlgorithm.Ed25519, 0 },
        { SshKeyAlgorithm.Ecdsa, 256, SshKeyAlgorithm.Ecdsa, 384 },
        { SshKeyAlgorithm.Rsa, 2048, SshKeyAlgorithm.Rsa, 3072 },
        { SshKeyAlgorithm.Ecdsa, 521, SshKeyAlgorithm.Ed25519, 0 },
    };

    [Theory]
    [MemberData(nameof(KeyPairs))]
    public void SignedCertificateEqualsAnIndependentParseOfItsBytes(SshKeyAlgorithm subjectAlgorithm, int subjectBits, SshKeyAlgorithm caAlgorithm, int caBits)
    {
        using var subject = SshPrivateKey.Generate(subjectAlgorithm, subjectBits);
        using var ca = SshPrivateKey.Generate(caAlgorithm, caBits);

        var signed = new SshCertificateBuilder
        {
            PublicKey = subject.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "k",
            Principals = ["a", "b"],
            ValidAfter = 10,
            ValidBefore = 20,
            Serial = 99,
            CriticalOptions = [SshCertificateOption.WithValue("force-command", "ls")],
            Extensions = [SshCertificateOption.Flag("permit-pty")],
        }.Sign(ca);
        var parsed = SshCertificateParser.ParseBlob(signed.Blob);

        Assert.Equal(parsed, signed);
        Assert.Equal(parsed.PublicKey, signed.PublicKey);
        Assert.Equal(parsed.SignatureKey, signed.SignatureKey);
        Assert.Equal(parsed.SignedBytes.ToArray(), signed.SignedBytes.ToArray());
        Assert.Equal(parsed.Signature, signed.Signature);
        Assert.Equal((parsed.Serial, parsed.KeyId, parsed.ValidAfter, parsed.ValidBefore), (signed.Serial, signed.KeyId, signed.ValidAfter, signed.ValidBefore));
        Assert.Equal(parsed.Principals, signed.Principals);
        Assert.Equal(parsed.CriticalOptions, signed.CriticalOptions);
        Assert.Equal(parsed.Extensions, signed.Extensions);
        Assert.True(signed.VerifySignature());
    }

    [Fact]
    public void KnownKeysThatDoNotMatchTheBytesAreIgnored()
    {
        using var subject = Ed25519PrivateKey.Generate();
        using var ca = Ed25519PrivateKey.Generate();
        using var other = Ed25519PrivateKey.Generate();
        var signed = new SshCertificateBuilder
        {
            PublicKey = subject.PublicKey,
            Type = SshCertificateType.Host,
            KeyId = "h",
            Principals = ["h"],
            ValidAfter = 0,
            ValidBefore = SshCertificate.Forever,
        }.Sign(ca);

        var parsed = SshCertificateParser.ParseBlob(signed.Blob, other.PublicKey, other.PublicKey);

        Assert.Equal(subject.PublicKey, parsed.PublicKey);
        Assert.Equal(ca.PublicKey, parsed.SignatureKey);
    }
}
