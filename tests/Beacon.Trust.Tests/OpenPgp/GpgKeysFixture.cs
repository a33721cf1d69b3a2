using Beacon.Testing;

namespace Beacon.Trust.Tests.OpenPgp;

/// <summary>
/// One GnuPG home per test class with the keys gpg 2.2 makes: Ed25519, RSA-3072, a key that signs with an
/// Ed25519 signing subkey, gpg's default key, and an unrelated key. Made once because RSA generation is slow.
/// </summary>
public sealed class GpgKeysFixture : IDisposable
{
    public GpgKeysFixture()
    {
        if (GpgHome.MissingTools() is not null)
        {
            return;
        }
        Gpg = new GpgHome();
        Ed25519 = Gpg.GenerateKey("Ed25519 Operator <ed25519@example.test>", "ed25519");
        Rsa3072 = Gpg.GenerateKey("RSA Operator <rsa@example.test>", "rsa3072");
        WithSubkey = Gpg.GenerateKey("Subkey Operator <subkey@example.test>", "ed25519");
        SigningSubkey = Gpg.AddSigningSubkey(WithSubkey, "ed25519");
        Default = Gpg.GenerateKey("Default Operator <default@example.test>", "default");
        Other = Gpg.GenerateKey("Someone Else <other@example.test>", "ed25519");
    }

    public GpgHome Gpg { get; } = null!;

    public string Ed25519 { get; } = "";

    public string Rsa3072 { get; } = "";

    public string WithSubkey { get; } = "";

    public string SigningSubkey { get; } = "";

    public string Default { get; } = "";

    public string Other { get; } = "";

    public void Dispose() => Gpg?.Dispose();
}
