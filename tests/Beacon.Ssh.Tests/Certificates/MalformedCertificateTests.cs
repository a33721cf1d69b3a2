using System.Buffers.Binary;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Tests.Vectors;

namespace Beacon.Ssh.Tests.Certificates;

/// <summary>Truncated and corrupted certificates made by ssh-keygen: each is refused with SshFormatException and nothing else.</summary>
public sealed class MalformedCertificateTests
{
    private static byte[] VectorBlob(string name) =>
        Convert.FromBase64String(TestVectors.FirstLine(TestVectors.CertificatePath(name)).Split(' ')[1]);

    [Theory]
    [MemberData(nameof(TestVectors.Certificates), MemberType = typeof(TestVectors))]
    public void EveryTruncatedBlobIsRefused(string name)
    {
        Truncation.EveryPrefixIsRefused(VectorBlob(name), blob => SshCertificateParser.ParseBlob(blob));
    }

    [Theory]
    [MemberData(nameof(TestVectors.Certificates), MemberType = typeof(TestVectors))]
    public void EveryTruncatedLineIsRefused(string name)
    {
        var line = TestVectors.FirstLine(TestVectors.CertificatePath(name));
        var keyEnd = line.IndexOf(' ', line.IndexOf(' ') + 1);

        Truncation.EveryPrefixIsRefused(line, text => SshCertificateParser.ParseLine(text), keyEnd);
    }

    [Theory]
    [MemberData(nameof(TestVectors.Certificates), MemberType = typeof(TestVectors))]
    public void TrailingBytesAreRefused(string name)
    {
        var blob = VectorBlob(name);

        Assert.Throws<SshFormatException>(() => SshCertificateParser.ParseBlob([.. blob, 0]));
    }

    /// <summary>Each length field of a vector in turn set beyond the data that follows it.</summary>
    [Theory]
    [InlineData("user-ed25519-by-ed25519")]
    [InlineData("user-rsa-2048-by-ecdsa-384-custom")]
    [InlineData("host-ecdsa-521-by-rsa-3072")]
    public void EveryLengthFieldBeyondTheDataIsRefused(string name)
    {
        var blob = VectorBlob(name);
        var offsets = LengthFieldOffsets(blob);
        Assert.True(offsets.Count >= 10, $"only {offsets.Count} length fields found");

        foreach (var offset in offsets)
        {
            foreach (var length in new uint[] { (uint)(blob.Length - offset - 3), 0x7fffffff, 0xffffffff })
            {
                var corrupt = (byte[])blob.Clone();
                BinaryPrimitives.WriteUInt32BigEndian(corrupt.AsSpan(offset), length);
                var error = Record.Exception(() => SshCertificateParser.ParseBlob(corrupt));
                Assert.True(error?.GetType() == typeof(SshFormatException), $"length {length} at offset {offset}: {error?.GetType().Name ?? "accepted"}");
            }
        }
    }

    /// <summary>The offsets of the top-level string lengths of a certificate blob (fixed-size fields skipped).</summary>
    private static List<int> LengthFieldOffsets(byte[] blob)
    {
        var certificate = SshCertificateParser.ParseBlob(blob);
        var offsets = new List<int>();
        var position = 0;
        int String()
        {
            var start = position;
            offsets.Add(position);
            position += 4 + (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(position));
            return start;
        }
        String(); // type
        String(); // nonce
        var keyFields = certificate.PublicKey switch
        {
            Beacon.Ssh.Keys.Ed25519PublicKey => 1,
            _ => 2, // ECDSA: curve, point; RSA: e, n
        };
        for (var i = 0; i < keyFields; i++)
        {
            String();
        }
        position += 8 + 4; // serial, type
        String(); // key id
        String(); // principals
        position += 16; // validity
        String(); // critical options
        String(); // extensions
        String(); // reserved
        String(); // signature key
        String(); // signature
        Assert.Equal(blob.Length, position);
        return offsets;
    }

    public static TheoryData<string, string> MalformedLines => new()
    {
        { "empty", "" },
        { "type only", "ssh-ed25519-cert-v01@openssh.com" },
        { "not base64", "ssh-ed25519-cert-v01@openssh.com %%%%" },
        { "base64 of garbage", "ssh-ed25519-cert-v01@openssh.com AAAAAAAA" },
        { "a plain public key", TestVectors.FirstLine(TestVectors.KeyPath("ed25519") + ".pub") },
        { "text type differs from the blob's", "ssh-rsa-cert-v01@openssh.com " + Convert.ToBase64String(VectorBlob("user-ed25519-by-ed25519")) },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public void MalformedLineIsRefused(string description, string line)
    {
        var error = Assert.Throws<SshFormatException>(() => SshCertificateParser.ParseLine(line));
        Assert.False(string.IsNullOrWhiteSpace(error.Message), description);
    }
}
