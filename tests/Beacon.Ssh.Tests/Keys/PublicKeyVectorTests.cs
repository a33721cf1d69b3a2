using Beacon.Ssh.Keys;
using Beacon.Ssh.Tests.Vectors;

namespace Beacon.Ssh.Tests.Keys;

/// <summary>Public keys made by ssh-keygen: we read them, write them back byte for byte, and fingerprint them as it does.</summary>
public sealed class PublicKeyVectorTests
{
    [Fact]
    public void EveryVectorIsPresent()
    {
        foreach (var name in TestVectors.PublicKeyFiles())
        {
            Assert.True(File.Exists(TestVectors.PathOf(name + ".pub")), $"{name}.pub is missing from testdata");
        }
        Assert.Equal(11, TestVectors.PublicKeyFiles().Count());
    }

    [Theory]
    [MemberData(nameof(TestVectors.PublicKeys), MemberType = typeof(TestVectors))]
    public void KeyLineRoundTripsByteForByte(string name)
    {
        var line = TestVectors.FirstLine(TestVectors.PathOf(name + ".pub"));

        var key = SshPublicKeyParser.ParseLine(line, out var comment);

        Assert.Equal(line, key.ToOpenSshString(comment));
        var blob = Convert.FromBase64String(line.Split(' ')[1]);
        Assert.Equal(blob, key.Blob.ToArray());
        Assert.Equal(blob, SshPublicKeyParser.ParseBlob(blob).Blob.ToArray());
    }

    [Theory]
    [MemberData(nameof(TestVectors.PublicKeys), MemberType = typeof(TestVectors))]
    public void FingerprintAndSizeEqualSshKeygens(string name)
    {
        var key = SshPublicKeyParser.ParseLine(TestVectors.FirstLine(TestVectors.PathOf(name + ".pub")), out var comment);
        // "256 SHA256:... comment (ED25519)"
        var printed = TestVectors.FirstLine(TestVectors.PathOf(name + ".pub.fp"));

        Assert.Equal($"{key.SizeInBits} {key.Fingerprint} {comment} ({KeygenStyle.KeyName(key)})", printed);
    }

    [Theory]
    [InlineData("keys/ed25519", SshKeyTypes.Ed25519, typeof(Ed25519PublicKey))]
    [InlineData("keys/ecdsa-256", SshKeyTypes.EcdsaP256, typeof(EcdsaPublicKey))]
    [InlineData("keys/ecdsa-384", SshKeyTypes.EcdsaP384, typeof(EcdsaPublicKey))]
    [InlineData("keys/ecdsa-521", SshKeyTypes.EcdsaP521, typeof(EcdsaPublicKey))]
    [InlineData("keys/rsa-2048", SshKeyTypes.Rsa, typeof(RsaPublicKey))]
    [InlineData("keys/rsa-3072", SshKeyTypes.Rsa, typeof(RsaPublicKey))]
    public void KeyTypeIsTheOneSshKeygenMade(string name, string keyType, Type implementation)
    {
        var key = SshPublicKeyParser.ParseLine(TestVectors.FirstLine(TestVectors.PathOf(name + ".pub")));

        Assert.Equal(keyType, key.KeyType);
        Assert.IsType(implementation, key);
    }

    [Fact]
    public void KeysAreEqualByTheirEncoding()
    {
        var line = TestVectors.FirstLine(TestVectors.PathOf("keys/ed25519.pub"));
        var a = SshPublicKeyParser.ParseLine(line);
        var b = SshPublicKeyParser.ParseLine(line);
        var other = SshPublicKeyParser.ParseLine(TestVectors.FirstLine(TestVectors.PathOf("ca/ed25519.pub")));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, other);
    }
}
