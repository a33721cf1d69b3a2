using Beacon.Ssh.Keys;
using Beacon.Ssh.Tests.Vectors;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Tests.Keys;

/// <summary>Malformed public keys: each is refused with SshFormatException and nothing else.</summary>
public sealed class MalformedPublicKeyTests
{
    [Theory]
    [MemberData(nameof(TestVectors.PublicKeys), MemberType = typeof(TestVectors))]
    public void EveryTruncatedBlobIsRefused(string name)
    {
        var line = TestVectors.FirstLine(TestVectors.PathOf(name + ".pub"));

        Truncation.EveryPrefixIsRefused(Convert.FromBase64String(line.Split(' ')[1]), blob => SshPublicKeyParser.ParseBlob(blob));
    }

    [Theory]
    [MemberData(nameof(TestVectors.PublicKeys), MemberType = typeof(TestVectors))]
    public void EveryTruncatedLineIsRefused(string name)
    {
        var line = TestVectors.FirstLine(TestVectors.PathOf(name + ".pub"));
        // Up to the end of the base64: a shorter comment is still a valid line.
        var keyEnd = line.IndexOf(' ', line.IndexOf(' ') + 1);

        Truncation.EveryPrefixIsRefused(line, text => SshPublicKeyParser.ParseLine(text), keyEnd);
    }

    private static byte[] VectorBlob(string name) =>
        Convert.FromBase64String(TestVectors.FirstLine(TestVectors.PathOf(name + ".pub")).Split(' ')[1]);

    private static byte[] Blob(Action<SshWriter> write)
    {
        var writer = new SshWriter();
        write(writer);
        return writer.ToArray();
    }

    private static readonly byte[] Ed25519Key = VectorBlob("keys/ed25519")[^32..];
    private static readonly byte[] P256Point = VectorBlob("keys/ecdsa-256")[^65..];
    private static readonly byte[] P384Point = VectorBlob("keys/ecdsa-384")[^97..];

    private static byte[] OffCurve()
    {
        var point = (byte[])P256Point.Clone();
        point[^1] ^= 0x01;
        return point;
    }

    private static byte[] RsaModulus()
    {
        var reader = new SshReader(VectorBlob("keys/rsa-2048"));
        reader.ReadUtf8("type");
        reader.ReadMPIntUnsigned("e");
        return reader.ReadMPIntUnsigned("n").ToArray();
    }

    public static TheoryData<string, byte[]> MalformedBlobs => new()
    {
        { "empty", [] },
        { "type length beyond the data", [0, 0, 0, 200, (byte)'s', (byte)'s', (byte)'h'] },
        { "type length near 4 GiB", [0xff, 0xff, 0xff, 0xf0, (byte)'s'] },
        { "unknown key type", Blob(w => w.WriteString("ssh-foo").WriteString(Ed25519Key)) },
        { "empty key type", Blob(w => w.WriteString("").WriteString(Ed25519Key)) },
        { "security-key type (not supported)", Blob(w => w.WriteString("sk-ssh-ed25519@openssh.com").WriteString(Ed25519Key).WriteString("ssh:")) },
        { "DSA", Blob(w => w.WriteString("ssh-dss").WriteMPIntUnsigned([1, 2]).WriteMPIntUnsigned([3]).WriteMPIntUnsigned([2]).WriteMPIntUnsigned([5])) },
        { "certificate type as a plain key", Blob(w => w.WriteString("ssh-ed25519-cert-v01@openssh.com").WriteString(new byte[32]).WriteString(Ed25519Key)) },
        { "type with a NUL byte", Blob(w => w.WriteString("ssh-ed25519\0").WriteString(Ed25519Key)) },
        { "type that is not UTF-8", Blob(w => w.WriteString([0xff, 0xfe]).WriteString(Ed25519Key)) },
        { "ed25519 key of 31 bytes", Blob(w => w.WriteString("ssh-ed25519").WriteString(Ed25519Key[..31])) },
        { "ed25519 key of 33 bytes", Blob(w => w.WriteString("ssh-ed25519").WriteString([.. Ed25519Key, 0])) },
        { "ed25519 key length beyond the data", Blob(w => w.WriteString("ssh-ed25519").WriteUInt32(64).WriteRaw(Ed25519Key)) },
        { "ed25519 with trailing bytes", Blob(w => w.WriteString("ssh-ed25519").WriteString(Ed25519Key).WriteByte(0)) },
        { "ecdsa curve name differs from the type", Blob(w => w.WriteString("ecdsa-sha2-nistp256").WriteString("nistp384").WriteString(P384Point)) },
        { "ecdsa unknown curve type", Blob(w => w.WriteString("ecdsa-sha2-nistp192").WriteString("nistp192").WriteString(P256Point)) },
        { "ecdsa point of the wrong curve's size", Blob(w => w.WriteString("ecdsa-sha2-nistp256").WriteString("nistp256").WriteString(P384Point)) },
        { "ecdsa compressed point", Blob(w => w.WriteString("ecdsa-sha2-nistp256").WriteString("nistp256").WriteString([0x02, .. P256Point[1..33]])) },
        { "ecdsa point not uncompressed (prefix 0x05)", Blob(w => w.WriteString("ecdsa-sha2-nistp256").WriteString("nistp256").WriteString([0x05, .. P256Point[1..]])) },
        { "ecdsa point at infinity", Blob(w => w.WriteString("ecdsa-sha2-nistp256").WriteString("nistp256").WriteString([0x00])) },
        { "ecdsa point off the curve", Blob(w => w.WriteString("ecdsa-sha2-nistp256").WriteString("nistp256").WriteString(OffCurve())) },
        { "ecdsa all-zero point", Blob(w => w.WriteString("ecdsa-sha2-nistp256").WriteString("nistp256").WriteString([0x04, .. new byte[64]])) },
        { "ecdsa with trailing bytes", Blob(w => w.WriteString("ecdsa-sha2-nistp256").WriteString("nistp256").WriteString(P256Point).WriteByte(1)) },
        { "rsa exponent with a needless leading zero", Blob(w => w.WriteString("ssh-rsa").WriteString([0, 1, 0, 1]).WriteMPIntUnsigned(RsaModulus())) },
        { "rsa modulus with a needless leading zero", Blob(w => w.WriteString("ssh-rsa").WriteMPIntUnsigned([1, 0, 1]).WriteString([0, 0, .. RsaModulus()])) },
        { "rsa zero encoded as a single zero byte", Blob(w => w.WriteString("ssh-rsa").WriteString([0]).WriteMPIntUnsigned(RsaModulus())) },
        { "rsa negative modulus", Blob(w => w.WriteString("ssh-rsa").WriteMPIntUnsigned([1, 0, 1]).WriteString([0x80, .. RsaModulus()[1..]])) },
        { "rsa empty exponent", Blob(w => w.WriteString("ssh-rsa").WriteUInt32(0).WriteMPIntUnsigned(RsaModulus())) },
        { "rsa empty modulus", Blob(w => w.WriteString("ssh-rsa").WriteMPIntUnsigned([1, 0, 1]).WriteUInt32(0)) },
        { "rsa modulus above 16384 bits", Blob(w => w.WriteString("ssh-rsa").WriteMPIntUnsigned([1, 0, 1]).WriteMPIntUnsigned([0x7f, .. new byte[2048]])) },
        { "rsa modulus length beyond the data", Blob(w => w.WriteString("ssh-rsa").WriteMPIntUnsigned([1, 0, 1]).WriteUInt32(300).WriteRaw(RsaModulus())) },
        { "rsa with trailing bytes", Blob(w => w.WriteString("ssh-rsa").WriteMPIntUnsigned([1, 0, 1]).WriteMPIntUnsigned(RsaModulus()).WriteUInt32(0)) },
    };

    [Theory]
    [MemberData(nameof(MalformedBlobs))]
    public void MalformedBlobIsRefused(string description, byte[] blob)
    {
        var error = Assert.Throws<SshFormatException>(() => SshPublicKeyParser.ParseBlob(blob));
        Assert.False(string.IsNullOrWhiteSpace(error.Message), description);
    }

    public static TheoryData<string, string> MalformedLines => new()
    {
        { "empty", "" },
        { "type only", "ssh-ed25519" },
        { "not base64", "ssh-ed25519 !!!!" },
        { "base64 of garbage", "ssh-ed25519 AAAA" },
        { "text type differs from the blob's", "ecdsa-sha2-nistp256 " + Convert.ToBase64String(VectorBlob("keys/ed25519")) },
        { "longer than the line limit", "ssh-ed25519 " + new string('A', SshPublicKeyParser.MaxLineLength) },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public void MalformedLineIsRefused(string description, string line)
    {
        var error = Assert.Throws<SshFormatException>(() => SshPublicKeyParser.ParseLine(line));
        Assert.False(string.IsNullOrWhiteSpace(error.Message), description);
    }

    public static TheoryData<string, byte[]> MalformedSignatures => new()
    {
        { "empty", [] },
        { "algorithm only", Blob(w => w.WriteString("ssh-ed25519")) },
        { "blob length beyond the data", Blob(w => w.WriteString("ssh-ed25519").WriteUInt32(64).WriteRaw(new byte[10])) },
        { "trailing bytes", Blob(w => w.WriteString("ssh-ed25519").WriteString(new byte[64]).WriteByte(0)) },
        { "blob larger than the sanity bound", Blob(w => w.WriteString("rsa-sha2-512").WriteString(new byte[SshSignature.MaxBlobLength + 1])) },
    };

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public void MalformedSignatureIsRefused(string description, byte[] wire)
    {
        var error = Assert.Throws<SshFormatException>(() => SshSignature.Parse(wire));
        Assert.False(string.IsNullOrWhiteSpace(error.Message), description);
    }
}
