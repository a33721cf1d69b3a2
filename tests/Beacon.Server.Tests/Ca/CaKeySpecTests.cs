using Beacon.Server.Ca;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Tests.Ca;

public sealed class CaKeySpecTests
{
    [Theory]
    [InlineData("ed25519", null, SshKeyAlgorithm.Ed25519, 256)]
    [InlineData("ecdsa", null, SshKeyAlgorithm.Ecdsa, 384)]
    [InlineData("ecdsa", 256, SshKeyAlgorithm.Ecdsa, 256)]
    [InlineData("rsa", null, SshKeyAlgorithm.Rsa, 3072)]
    [InlineData("rsa", 4096, SshKeyAlgorithm.Rsa, 4096)]
    public void TypeAndBitsGiveTheSpec(string type, int? bits, SshKeyAlgorithm algorithm, int expectedBits) =>
        Assert.Equal(new CaKeySpec(algorithm, expectedBits), CaKeySpec.Parse(type, bits));

    [Theory]
    [InlineData("dsa", null)]
    [InlineData("ed25519", 512)]
    [InlineData("ecdsa", 521)]
    [InlineData("rsa", 2048)]
    [InlineData("rsa", 16384)]
    [InlineData("rsa", 3073)]
    public void WeakOrUnknownSpecIsRefused(string type, int? bits) => Assert.Throws<FormatException>(() => CaKeySpec.Parse(type, bits));
}
