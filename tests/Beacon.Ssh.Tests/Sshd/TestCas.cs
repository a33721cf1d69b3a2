using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Tests.Sshd;

/// <summary>The CA types the sshd tests sign with, by name, generated once per test run.</summary>
internal static class TestCas
{
    private static readonly Lazy<Dictionary<string, SshPrivateKey>> Keys = new(() => new()
    {
        ["ed25519"] = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519),
        ["ecdsa-256"] = SshPrivateKey.Generate(SshKeyAlgorithm.Ecdsa, 256),
        ["ecdsa-384"] = SshPrivateKey.Generate(SshKeyAlgorithm.Ecdsa, 384),
        ["ecdsa-521"] = SshPrivateKey.Generate(SshKeyAlgorithm.Ecdsa, 521),
        ["rsa-3072"] = SshPrivateKey.Generate(SshKeyAlgorithm.Rsa, 3072),
    });

    public static IReadOnlyList<string> Names { get; } = ["ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521", "rsa-3072"];

    public static SshPrivateKey Get(string name) => Keys.Value[name];

    public static IEnumerable<SshPublicKey> PublicKeys => Names.Select(n => Get(n).PublicKey);

    /// <summary>Each CA with the signature algorithms it signs certificates with (RSA: both SHA-2 variants).</summary>
    public static TheoryData<string, string?> WithAlgorithms => new()
    {
        { "ed25519", null },
        { "ecdsa-256", null },
        { "ecdsa-384", null },
        { "ecdsa-521", null },
        { "rsa-3072", SshKeyTypes.RsaSha512 },
        { "rsa-3072", SshKeyTypes.RsaSha256 },
    };
}
