using System.Security.Cryptography;
using Beacon.Server.Signing;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Tests.Signing;

public sealed class SubjectKeyPolicyTests
{
    private static readonly SshPublicKey Ca = Ed25519PrivateKey.Generate().PublicKey;

    [Theory]
    [InlineData(SshKeyAlgorithm.Ed25519, 0)]
    [InlineData(SshKeyAlgorithm.Ecdsa, 256)]
    [InlineData(SshKeyAlgorithm.Ecdsa, 521)]
    [InlineData(SshKeyAlgorithm.Rsa, 2048)]
    public void OrdinaryKeyIsAccepted(SshKeyAlgorithm algorithm, int bits)
    {
        using var key = SshPrivateKey.Generate(algorithm, bits);
        Assert.Null(SubjectKeyPolicy.Check(key.PublicKey, [Ca]));
    }

    [Fact]
    public void ShortRsaKeyIsRefused()
    {
        using var rsa = RSA.Create(1024);
        var parameters = rsa.ExportParameters(false);
        var key = new RsaPublicKey(parameters.Exponent, parameters.Modulus);

        Assert.Contains("1024 bits", SubjectKeyPolicy.Check(key, [Ca]));
    }

    [Fact]
    public void CaOwnKeyIsRefused() => Assert.Contains("CA key", SubjectKeyPolicy.Check(Ca, [Ca]));
}
