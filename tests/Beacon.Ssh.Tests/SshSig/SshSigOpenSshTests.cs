using System.Text;
using Beacon.Ssh.Keys;
using Beacon.Ssh.SshSig;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.SshSig;

/// <summary>ssh-keygen judges our SSHSIG signatures, and we verify ssh-keygen's: both directions, every key type.</summary>
public sealed class SshSigOpenSshTests
{
    private const string Namespace = "beacon-krl@beaconssh";

    public static TheoryData<string> KeyTypes => ["ed25519", "ecdsa-p256", "ecdsa-p384", "rsa-3072"];

    private static SshPrivateKey Generate(string type) => type switch
    {
        "ed25519" => SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519),
        "ecdsa-p256" => SshPrivateKey.Generate(SshKeyAlgorithm.Ecdsa, 256),
        "ecdsa-p384" => SshPrivateKey.Generate(SshKeyAlgorithm.Ecdsa, 384),
        _ => SshPrivateKey.Generate(SshKeyAlgorithm.Rsa, 3072),
    };

    [RequiresOpenSshTheory]
    [MemberData(nameof(KeyTypes))]
    public void SshKeygenVerifiesOurSignature(string type)
    {
        using var key = Generate(type);
        using var temp = new TempDirectory();
        var message = new byte[] { 0, 1, 2, 0xff, 0x0a, 0x0d, 0x80 }.Concat(Encoding.UTF8.GetBytes("a KRL's bytes")).ToArray();
        var messagePath = temp.File("message");
        File.WriteAllBytes(messagePath, message);
        var signaturePath = temp.Write("message.sig", SshSigSigner.Sign(key, message, Namespace).ToArmored());

        var verified = SshKeygenSig.Verify(temp, key.PublicKey, "beacon-revocation", Namespace, signaturePath, messagePath);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal(0, SshKeygenSig.CheckNoValidate(Namespace, signaturePath, messagePath).ExitCode);

        File.WriteAllBytes(messagePath, [.. message, 0]);
        Assert.NotEqual(0, SshKeygenSig.Verify(temp, key.PublicKey, "beacon-revocation", Namespace, signaturePath, messagePath).ExitCode);
    }

    [RequiresOpenSshTheory]
    [MemberData(nameof(KeyTypes))]
    public void WeVerifySshKeygensSignature(string type)
    {
        using var key = Generate(type);
        using var other = Generate(type);
        using var temp = new TempDirectory();
        var message = Encoding.UTF8.GetBytes("signed by ssh-keygen -Y sign\n");
        var messagePath = temp.File("message");
        File.WriteAllBytes(messagePath, message);

        var armored = SshKeygenSig.Sign(temp, key, messagePath, Namespace);
        var signature = SshSigParser.ParseArmored(armored);

        Assert.Equal(key.PublicKey, signature.PublicKey);
        Assert.Equal(Namespace, signature.Namespace);
        Assert.Equal(SshSigFormat.Sha512, signature.HashAlgorithm);
        Assert.True(SshSigVerifier.Verify(signature, message, Namespace, key.PublicKey));
        Assert.False(SshSigVerifier.Verify(signature, message, Namespace, other.PublicKey));
        Assert.False(SshSigVerifier.Verify(signature, message, "file", key.PublicKey));
        Assert.False(SshSigVerifier.Verify(signature, [.. message, 0], Namespace, key.PublicKey));
        // Our encoding of what we parsed is ssh-keygen's, byte for byte.
        Assert.Equal(armored, signature.ToArmored());
    }
}
