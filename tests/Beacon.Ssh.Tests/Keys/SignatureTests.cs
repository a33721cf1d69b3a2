using System.Text;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;
using Beacon.Ssh.Tests.Vectors;

namespace Beacon.Ssh.Tests.Keys;

/// <summary>Signing and verifying with every key type, and the SHA-1 ssh-rsa algorithm never produced.</summary>
public sealed class SignatureTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("BeaconSSH signs this");

    public static TheoryData<SshKeyAlgorithm, int, string> Algorithms => new()
    {
        { SshKeyAlgorithm.Ed25519, 0, SshKeyTypes.Ed25519 },
        { SshKeyAlgorithm.Ecdsa, 256, SshKeyTypes.EcdsaP256 },
        { SshKeyAlgorithm.Ecdsa, 384, SshKeyTypes.EcdsaP384 },
        { SshKeyAlgorithm.Ecdsa, 521, SshKeyTypes.EcdsaP521 },
        { SshKeyAlgorithm.Rsa, 2048, SshKeyTypes.RsaSha512 },
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void SignatureVerifiesAndNothingElseDoes(SshKeyAlgorithm algorithm, int bits, string signatureAlgorithm)
    {
        using var key = SshPrivateKey.Generate(algorithm, bits);
        using var other = SshPrivateKey.Generate(algorithm, bits);

        var signature = key.Sign(Message);

        Assert.Equal(signatureAlgorithm, signature.Algorithm);
        Assert.True(key.PublicKey.Verify(Message, signature));
        Assert.False(key.PublicKey.Verify(Encoding.UTF8.GetBytes("BeaconSSH signs that"), signature));
        Assert.False(other.PublicKey.Verify(Message, signature));
        Assert.False(key.PublicKey.Verify(Message, signature with { Algorithm = "ssh-unknown" }));
        var tampered = signature.Blob.ToArray();
        tampered[^1] ^= 1;
        Assert.False(key.PublicKey.Verify(Message, signature with { Blob = tampered }));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void SignatureWireFormRoundTrips(SshKeyAlgorithm algorithm, int bits, string signatureAlgorithm)
    {
        using var key = SshPrivateKey.Generate(algorithm, bits);

        var wire = key.Sign(Message, signatureAlgorithm).ToWire();
        var parsed = SshSignature.Parse(wire);

        Assert.Equal(signatureAlgorithm, parsed.Algorithm);
        Assert.Equal(wire, parsed.ToWire());
        Assert.True(key.PublicKey.Verify(Message, parsed));
    }

    [Theory]
    [InlineData(SshKeyTypes.RsaSha256)]
    [InlineData(SshKeyTypes.RsaSha512)]
    public void RsaSignsBothSha2Algorithms(string algorithm)
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Rsa, 2048);

        var signature = key.Sign(Message, algorithm);

        Assert.Equal(algorithm, signature.Algorithm);
        Assert.True(key.PublicKey.Verify(Message, signature));
        // The algorithm is bound to the signature: claiming the other hash must fail.
        var other = algorithm == SshKeyTypes.RsaSha256 ? SshKeyTypes.RsaSha512 : SshKeyTypes.RsaSha256;
        Assert.False(key.PublicKey.Verify(Message, signature with { Algorithm = other }));
    }

    [Fact]
    public void RsaNeverProducesSha1SshRsaSignatures()
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Rsa, 2048);

        Assert.Throws<ArgumentException>(() => key.Sign(Message, SshKeyTypes.Rsa));
        Assert.NotEqual(SshKeyTypes.Rsa, key.Sign(Message).Algorithm);
    }

    [Fact]
    public void SshRsaSha1SignaturesAreNeverAccepted()
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Rsa, 2048);
        var signature = key.Sign(Message, SshKeyTypes.RsaSha512);

        Assert.False(key.PublicKey.Verify(Message, signature with { Algorithm = SshKeyTypes.Rsa }));
    }

    [Theory]
    [InlineData(SshKeyAlgorithm.Ed25519, 0, SshKeyTypes.EcdsaP256)]
    [InlineData(SshKeyAlgorithm.Ecdsa, 256, SshKeyTypes.EcdsaP384)]
    [InlineData(SshKeyAlgorithm.Ecdsa, 384, SshKeyTypes.Ed25519)]
    [InlineData(SshKeyAlgorithm.Rsa, 2048, SshKeyTypes.Ed25519)]
    public void KeyRefusesToSignAnotherAlgorithm(SshKeyAlgorithm algorithm, int bits, string foreign)
    {
        using var key = SshPrivateKey.Generate(algorithm, bits);

        Assert.Throws<ArgumentException>(() => key.Sign(Message, foreign));
    }

    [Theory]
    [MemberData(nameof(TestVectors.PrivateKeys), MemberType = typeof(TestVectors))]
    public void SshKeygensKeysSignAndTheirPublicHalvesVerify(string name)
    {
        using var key = OpenSshPrivateKeyFile.Read(File.ReadAllText(TestVectors.PathOf(name)));
        var publicKey = SshPublicKeyParser.ParseLine(TestVectors.FirstLine(TestVectors.PathOf(name + ".pub")));

        Assert.True(publicKey.Verify(Message, key.Sign(Message)));
    }
}
