using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;
using Beacon.Ssh.Tests.Vectors;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Tests.PrivateKeys;

/// <summary>Unencrypted openssh-key-v1 files made by ssh-keygen: we read them, and our files read back the same.</summary>
public sealed class PrivateKeyVectorTests
{
    [Theory]
    [MemberData(nameof(TestVectors.PrivateKeys), MemberType = typeof(TestVectors))]
    public void SshKeygensFileIsRead(string name)
    {
        var publicKey = SshPublicKeyParser.ParseLine(TestVectors.FirstLine(TestVectors.PathOf(name + ".pub")), out var publicComment);

        using var key = OpenSshPrivateKeyFile.Read(File.ReadAllText(TestVectors.PathOf(name)), out var comment);

        Assert.Equal(publicKey, key.PublicKey);
        Assert.Equal(publicComment, comment);
    }

    /// <summary>The private fields we would write are the very bytes ssh-keygen wrote.</summary>
    [Theory]
    [MemberData(nameof(TestVectors.PrivateKeys), MemberType = typeof(TestVectors))]
    public void PrivateFieldsReserializeByteForByte(string name)
    {
        var (type, fields) = PrivateSection(File.ReadAllText(TestVectors.PathOf(name)));
        using var key = OpenSshPrivateKeyFile.Read(File.ReadAllText(TestVectors.PathOf(name)));

        var writer = new SshWriter();
        key.WritePrivateFields(writer);

        Assert.Equal(key.PublicKey.KeyType, type);
        Assert.Equal(fields, writer.ToArray());
    }

    [Theory]
    [MemberData(nameof(TestVectors.PrivateKeys), MemberType = typeof(TestVectors))]
    public void FileWeWriteReadsBackAsTheSameKey(string name)
    {
        using var key = OpenSshPrivateKeyFile.Read(File.ReadAllText(TestVectors.PathOf(name)));

        var text = OpenSshPrivateKeyFile.Write(key, "round trip");
        using var again = OpenSshPrivateKeyFile.Read(text, out var comment);

        Assert.Equal(key.PublicKey, again.PublicKey);
        Assert.Equal("round trip", comment);
        Assert.Equal(PrivateSection(File.ReadAllText(TestVectors.PathOf(name))).Fields, PrivateSection(text).Fields);
    }

    [Fact]
    public void FileLayoutIsSshKeygens()
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);

        var lines = OpenSshPrivateKeyFile.Write(key, "x").Split('\n');

        Assert.Equal("-----BEGIN OPENSSH PRIVATE KEY-----", lines[0]);
        Assert.Equal("-----END OPENSSH PRIVATE KEY-----", lines[^2]);
        Assert.Equal("", lines[^1]);
        Assert.All(lines[1..^3], l => Assert.Equal(70, l.Length));
    }

    /// <summary>The key type and the private fields of a file's single key, between the type name and the comment.</summary>
    internal static (string Type, byte[] Fields) PrivateSection(string text)
    {
        var body = string.Concat(text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
        var data = Convert.FromBase64String(body);
        var reader = new SshReader(data.AsSpan("openssh-key-v1\0"u8.Length));
        reader.ReadStringSpan("cipher");
        reader.ReadStringSpan("kdf");
        reader.ReadStringSpan("kdf options");
        reader.ReadUInt32("count");
        reader.ReadStringSpan("public key");
        var sectionBytes = reader.ReadStringSpan("section");
        var section = new SshReader(sectionBytes);
        section.ReadUInt32("check1");
        section.ReadUInt32("check2");
        var type = section.ReadUtf8("type");
        var start = section.Position;
        using var key = SshPrivateKey.ReadPrivateKeyFields(ref section, type);
        return (type, sectionBytes[start..section.Position].ToArray());
    }
}
