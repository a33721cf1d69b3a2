using System.Text;
using Beacon.Ssh.PrivateKeys;
using Beacon.Ssh.Tests.Vectors;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Tests.PrivateKeys;

/// <summary>Truncated and corrupted private key files: each is refused with SshFormatException and nothing else.</summary>
public sealed class MalformedPrivateKeyTests
{
    private const string Begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private const string End = "-----END OPENSSH PRIVATE KEY-----";

    private static string Armor(byte[] data) => $"{Begin}\n{Convert.ToBase64String(data)}\n{End}\n";

    private static byte[] Decoded(string name)
    {
        var text = File.ReadAllText(TestVectors.PathOf(name));
        return Convert.FromBase64String(string.Concat(text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));
    }

    [Theory]
    [MemberData(nameof(TestVectors.PrivateKeys), MemberType = typeof(TestVectors))]
    public void EveryTruncatedDecodedFileIsRefused(string name)
    {
        Truncation.EveryPrefixIsRefused(Decoded(name), data => OpenSshPrivateKeyFile.Read(Armor(data)).Dispose());
    }

    [Theory]
    [MemberData(nameof(TestVectors.PrivateKeys), MemberType = typeof(TestVectors))]
    public void EveryTruncatedTextIsRefused(string name)
    {
        var text = File.ReadAllText(TestVectors.PathOf(name)).TrimEnd();

        Truncation.EveryPrefixIsRefused(text, t => OpenSshPrivateKeyFile.Read(t).Dispose(), text.Length);
    }

    [Theory]
    [MemberData(nameof(TestVectors.PrivateKeys), MemberType = typeof(TestVectors))]
    public void TrailingBytesAreRefused(string name)
    {
        Assert.Throws<SshFormatException>(() => OpenSshPrivateKeyFile.Read(Armor([.. Decoded(name), 0, 0, 0, 0])));
    }

    /// <summary>A file with the given private section (the public key is taken from the Ed25519 vector unless given).</summary>
    private static string File_(Action<SshWriter> section, byte[]? publicKey = null, string cipher = "none", uint count = 1)
    {
        var inner = new SshWriter();
        section(inner);
        var file = new SshWriter();
        file.WriteRaw("openssh-key-v1\0"u8).WriteString(cipher).WriteString(cipher == "none" ? "none" : "bcrypt").WriteString([])
            .WriteUInt32(count).WriteString(publicKey ?? Ed25519Public()).WriteString(inner);
        return Armor(file.ToArray());
    }

    private static byte[] Ed25519Public() => Convert.FromBase64String(TestVectors.FirstLine(TestVectors.KeyPath("ed25519") + ".pub").Split(' ')[1]);

    private static byte[] RsaPublic() => Convert.FromBase64String(TestVectors.FirstLine(TestVectors.KeyPath("rsa-2048") + ".pub").Split(' ')[1]);

    /// <summary>The Ed25519 vector's private section, re-encoded with one change.</summary>
    private static Action<SshWriter> Ed25519Section(uint check2 = 1, byte[]? seedAndPublic = null, string comment = "c", byte[]? padding = null) => w =>
    {
        var (_, fields) = PrivateKeyVectorTests.PrivateSection(File.ReadAllText(TestVectors.KeyPath("ed25519")));
        var reader = new SshReader(fields);
        var publicKey = reader.ReadBytes("pk");
        var secret = reader.ReadBytes("sk");
        w.WriteUInt32(1).WriteUInt32(check2).WriteString("ssh-ed25519").WriteString(publicKey).WriteString(seedAndPublic ?? secret).WriteString(comment);
        if (padding is null)
        {
            for (byte pad = 1; w.Length % 8 != 0; pad++)
            {
                w.WriteByte(pad);
            }
        }
        else
        {
            w.WriteRaw(padding);
        }
    };

    private static byte[] Ed25519Secret()
    {
        var (_, fields) = PrivateKeyVectorTests.PrivateSection(File.ReadAllText(TestVectors.KeyPath("ed25519")));
        var reader = new SshReader(fields);
        reader.ReadBytes("pk");
        return reader.ReadBytes("sk");
    }

    private static byte[] WithSeedChanged()
    {
        var secret = Ed25519Secret();
        secret[0] ^= 1;
        return secret;
    }

    private static byte[] WithPublicHalfChanged()
    {
        var secret = Ed25519Secret();
        secret[^1] ^= 1;
        return secret;
    }

    public static TheoryData<string, string> MalformedFiles => new()
    {
        { "empty", "" },
        { "no armour", "b3BlbnNzaC1rZXktdjEA" },
        { "a PEM RSA key", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n" },
        { "body not base64", $"{Begin}\n%%%%\n{End}\n" },
        { "wrong magic", Armor(Encoding.ASCII.GetBytes("openssh-key-v2\0")) },
        { "encrypted", File_(Ed25519Section(), cipher: "aes256-ctr") },
        { "no keys", File_(Ed25519Section(), count: 0) },
        { "two keys", File_(Ed25519Section(), count: 2) },
        { "check integers differ", File_(Ed25519Section(check2: 2)) },
        { "public key in the header differs from the private key", File_(Ed25519Section(), publicKey: RsaPublic()) },
        { "seed does not give the stored public key", File_(Ed25519Section(seedAndPublic: WithSeedChanged())) },
        { "stored public half of the secret differs", File_(Ed25519Section(seedAndPublic: WithPublicHalfChanged())) },
        { "bad padding bytes", File_(Ed25519Section(padding: [9, 9, 9, 9, 9, 9, 9, 9])) },
        { "section not a multiple of the block size", File_(Ed25519Section(padding: [1])) },
        { "a DSA private key", File_(w => w.WriteUInt32(1).WriteUInt32(1).WriteString("ssh-dss").WriteMPIntUnsigned([1])) },
        { "an unknown private key type", File_(w => w.WriteUInt32(1).WriteUInt32(1).WriteString("ssh-foo").WriteUInt32(0)) },
        { "longer than the file limit", Begin + new string('A', OpenSshPrivateKeyFile.MaxFileLength) + End },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void MalformedFileIsRefused(string description, string text)
    {
        var error = Assert.Throws<SshFormatException>(() => OpenSshPrivateKeyFile.Read(text).Dispose());
        Assert.False(string.IsNullOrWhiteSpace(error.Message), description);
    }

    /// <summary>The RSA-2048 vector's components n, e, d, iqmp, p, q, as the mpint bytes ssh-keygen wrote.</summary>
    private static byte[][] RsaComponents()
    {
        var (_, fields) = PrivateKeyVectorTests.PrivateSection(File.ReadAllText(TestVectors.KeyPath("rsa-2048")));
        var reader = new SshReader(fields);
        var components = new byte[6][];
        for (var i = 0; i < components.Length; i++)
        {
            components[i] = reader.ReadBytes("component");
        }
        return components;
    }

    public static TheoryData<string, int, byte[]> MalformedRsaComponents => new()
    {
        // Indexes: n 0, e 1, d 2, iqmp 3, p 4, q 5.
        { "p is one (d mod p-1 would divide by zero)", 4, [1] },
        { "q is one (d mod q-1 would divide by zero)", 5, [1] },
        { "p is zero", 4, [] },
        { "d is zero", 2, [] },
        { "p with a needless leading zero", 4, [0, 1] },
        { "negative q", 5, [0x80, 1] },
        { "p larger than the modulus allows", 4, [0x01, .. new byte[200]] },
        { "p that does not divide n", 4, [0x7f, .. new byte[127]] },
        { "modulus below 2048 bits", 0, [0x00, 0xc1, .. new byte[100]] },
    };

    [Theory]
    [MemberData(nameof(MalformedRsaComponents))]
    public void MalformedRsaPrivateKeyIsRefused(string description, int index, byte[] replacement)
    {
        var components = RsaComponents();
        components[index] = replacement;
        var text = File_(w =>
        {
            w.WriteUInt32(1).WriteUInt32(1).WriteString("ssh-rsa");
            foreach (var component in components)
            {
                w.WriteString(component);
            }
            w.WriteString("c");
            for (byte pad = 1; w.Length % 8 != 0; pad++)
            {
                w.WriteByte(pad);
            }
        }, publicKey: RsaPublic());

        var error = Assert.Throws<SshFormatException>(() => OpenSshPrivateKeyFile.Read(text).Dispose());
        Assert.False(string.IsNullOrWhiteSpace(error.Message), description);
    }
}
